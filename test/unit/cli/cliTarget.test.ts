import * as assert from 'node:assert/strict';
import { parseHostCommand } from '../../../src/cli/cliTarget';
import { UsageError } from '../../../src/cli/cliErrors';

describe('sm-ssh host arguments', () => {
  it('refuses a --node no alias can name (algo-0, algo-10000, garbage) as a usage error', () => {
    for (const node of ['algo-0', 'algo-10000', 'algo-01', 'x; rm -rf /']) {
      assert.throws(
        () => parseHostCommand('connect', ['h', '--training-job', 'job', '--node', node]),
        (error: unknown) => error instanceof UsageError && error.message.includes(JSON.stringify(node)),
      );
    }
  });

  it('keeps --profile and --region as options, not as the host', () => {
    const parsed = parseHostCommand('config', [
      '--profile',
      'dev',
      'job.training.sagemaker',
      '--region',
      'eu-west-1',
    ]);
    assert.equal(parsed.host.alias, 'job.training.sagemaker');
    assert.equal(parsed.profile, 'dev');
    assert.equal(parsed.region, 'eu-west-1');
    assert.deepEqual(
      parseHostCommand('connect', ['h', '--training-job', 'job', '--node', 'algo-9999']).host.target,
      { kind: 'trainingNode', jobName: 'job', node: 9999 },
    );
  });
});
