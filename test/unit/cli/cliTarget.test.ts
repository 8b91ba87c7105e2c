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

  it('reads a HyperPod alias, with the cluster id our ProxyCommand passes; --cluster-id fits nothing else', () => {
    const alias = 'i-0123456789abcdef0.worker-group-1.ml-cluster.hyperpod.sagemaker';
    assert.deepEqual(parseHostCommand('start-proxy', [alias, '--cluster-id', 'abcd1234efgh']).host.target, {
      kind: 'hyperPodNode',
      clusterName: 'ml-cluster',
      group: 'worker-group-1',
      instanceId: 'i-0123456789abcdef0',
      clusterId: 'abcd1234efgh',
    });
    for (const args of [
      [alias, '--cluster-id', 'ML-Cluster'],
      ['job.training.sagemaker', '--cluster-id', 'abcd1234efgh'],
    ]) {
      assert.throws(
        () => parseHostCommand('start-proxy', args),
        (error: unknown) => error instanceof UsageError && error.code === 'Usage',
      );
    }
  });
});
