import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { DescribeTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { resolveAwsContext } from '../../../src/aws/awsContext';
import { translateAwsError } from '../../../src/aws/translateAwsError';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { clientsFor, useEmulator } from '../../support/emulator';

const context = resolveAwsContext(
  { profile: 'dev', surface: 'cli' },
  {},
  { configFile: {}, credentialsFile: {} },
);

async function failureOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => assert.fail('expected the call to fail'),
    (error: unknown) => error,
  );
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What the real SDK throws, read through the typed error helpers, becomes an error with a code. */
describe('translateAwsError on real SDK failures (emulator)', () => {
  const denied = {
    ...me,
    name: 'denied',
    accessKeyId: 'AKIADENIEDEXAMPLE',
    deny: ['sagemaker:DescribeTrainingJob'],
  };
  const emulator = useEmulator(new ScenarioBuilder().identities(me, denied).trainingJob('job').build());
  afterEach(() => emulator().faults.clear());
  const describeJob = (client: SageMakerClient, name = 'job'): Promise<unknown> =>
    failureOf(client.send(new DescribeTrainingJobCommand({ TrainingJobName: name })));

  it('a refused connection: EndpointUnreachable', async () => {
    const client = new SageMakerClient({
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      region: 'us-east-1',
      credentials: emulator().credentials(me.name),
      maxAttempts: 1,
    });
    assert.equal(translateAwsError(await describeJob(client), context).code, 'EndpointUnreachable');
  });

  it('throttling: Throttled; a denied action: AccessDenied; anything else keeps its AWS code', async () => {
    emulator().faults.add({
      service: 'sagemaker',
      operation: 'DescribeTrainingJob',
      first: 1,
      error: { code: 'ThrottlingException' },
    });
    const { sagemaker } = clientsFor(emulator(), me.name);
    assert.equal(translateAwsError(await describeJob(sagemaker), context).code, 'Throttled');
    const deniedClient = clientsFor(emulator(), denied.name).sagemaker;
    assert.equal(translateAwsError(await describeJob(deniedClient), context).code, 'AccessDenied');
    const other = translateAwsError(await describeJob(sagemaker, 'no-such-job'), context);
    assert.equal(other.code, 'ValidationException');
  });
});
