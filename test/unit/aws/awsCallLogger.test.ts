import * as assert from 'node:assert/strict';
import { DescribeTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { awsCallOf } from '../../../src/aws/awsCallLogger';
import { MemoryLogger } from '../../../src/util/logger';
import { connect, useAwsEnvironment } from '../../builders/awsEnvironment';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { useEmulator } from '../../support/emulator';

/** Every AWS call of a connection is logged at debug level, and a failure remembers its call. */
describe('the AWS call logger', () => {
  const emulator = useEmulator(new ScenarioBuilder().trainingJob('logged-job').build());
  useAwsEnvironment(() => emulator().env(me.name));

  it('logs a success with its request id and a failure with its AWS code, status and attempts', async () => {
    const logger = new MemoryLogger();
    const sagemaker = await (await connect({}, logger)).clients.sagemaker();
    await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: 'logged-job' }));
    const failure = await sagemaker
      .send(new DescribeTrainingJobCommand({ TrainingJobName: 'no-such-job' }))
      .then(
        () => assert.fail('expected ValidationException'),
        (error: unknown) => error,
      );
    const lines = logger.entries.filter((entry) => entry.level === 'debug').map((entry) => entry.message);
    const calls = lines.filter((line) => line.startsWith('sagemaker.DescribeTrainingJob us-east-1 '));
    assert.equal(calls.length, 2, lines.join('\n'));
    assert.match(calls[0]!, /ms requestId=\S+$/);
    assert.match(calls[1]!, /ms failed ValidationException status=400 requestId=\S+ attempts=\d+$/);
    assert.equal(awsCallOf(failure)?.operation, 'DescribeTrainingJob');
  });
});
