import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  clusterIdOfArn,
  hyperPodAlias,
  hyperPodSsmTarget,
  HYPERPOD_USER,
} from '../../../src/targets/hyperPodNode';
import type { HyperPodNodeTarget } from '../../../src/targets/hyperPodNode';
import { homeFolder, loginUser } from '../../../src/targets/sshTarget';
import {
  isSageMakerAlias,
  parseAlias,
  parseTargetAlias,
  stableAliasFor,
  STABLE_HYPERPOD_ALIAS,
  targetAlias,
} from '../../../src/targets/targetAlias';
import { InvalidHostAliasError } from '../../../src/targets/targetErrors';

const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''));
const sageMakerName = fc
  .tuple(alnum, fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), alnum), { maxLength: 30 }))
  .map(([first, rest]) => first + rest.map(([hyphens, c]) => '-'.repeat(hyphens) + c).join(''))
  .filter((name) => name.length <= 63);
const hexDigit = fc.constantFrom(...'0123456789abcdef'.split(''));
const instanceId = fc
  .constantFrom(8, 17)
  .chain((length) => fc.array(hexDigit, { minLength: length, maxLength: length }))
  .map((digits) => `i-${digits.join('')}`);

const node: HyperPodNodeTarget = {
  kind: 'hyperPodNode',
  clusterName: 'ml-cluster',
  clusterId: 'abcd1234efgh',
  group: 'worker-group-1',
  instanceId: 'i-0123456789abcdef0',
};

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('HyperPod node targets', () => {
  it('names a node <instance-id>.<group>.<cluster>.hyperpod.sagemaker and parses it back', () => {
    const alias = targetAlias(node);
    assert.equal(alias, 'i-0123456789abcdef0.worker-group-1.ml-cluster.hyperpod.sagemaker');
    const { clusterId: _id, ...withoutId } = node;
    assert.deepEqual(parseTargetAlias(alias), withoutId);
    assert.ok(isSageMakerAlias(alias));
  });

  it('round-trips any valid names, capitals included', () => {
    fc.assert(
      fc.property(sageMakerName, sageMakerName, instanceId, (clusterName, group, id) => {
        const target: HyperPodNodeTarget = { kind: 'hyperPodNode', clusterName, group, instanceId: id };
        const alias = hyperPodAlias(target);
        assert.equal(alias, alias.toLowerCase());
        assert.deepEqual(parseTargetAlias(alias), target);
      }),
    );
  });

  it('cannot collide with training or Studio aliases', () => {
    assert.equal(parseAlias(targetAlias(node)).kind, 'hyperPodNode');
    assert.equal(parseAlias('ml-cluster.training.sagemaker').kind, 'trainingNode');
    assert.equal(parseAlias(STABLE_HYPERPOD_ALIAS).kind, 'stable');
    assert.equal(stableAliasFor('hyperPodNode'), STABLE_HYPERPOD_ALIAS);
  });

  it('rejects aliases that name no node', () => {
    for (const alias of [
      'ml-cluster.hyperpod.sagemaker',
      'worker.ml-cluster.hyperpod.sagemaker',
      'node-1.worker.ml-cluster.hyperpod.sagemaker',
      'i-0123456789abcdef0.worker_1.ml-cluster.hyperpod.sagemaker',
      'x.i-0123456789abcdef0.worker.ml-cluster.hyperpod.sagemaker',
    ]) {
      assert.equal(
        code(() => parseTargetAlias(alias)),
        new InvalidHostAliasError('x', 'y').code,
        alias,
      );
    }
  });

  it('uses the cluster id, not the name, in the SSM target', () => {
    assert.equal(
      hyperPodSsmTarget({ ...node, clusterId: 'abcd1234efgh' }),
      'sagemaker-cluster:abcd1234efgh_worker-group-1-i-0123456789abcdef0',
    );
    assert.equal(
      clusterIdOfArn('arn:aws:sagemaker:us-west-2:123456789012:cluster/2hd31rmi9mde'),
      '2hd31rmi9mde',
    );
    assert.equal(clusterIdOfArn('arn:aws:sagemaker:us-west-2:123456789012:cluster/name'), undefined);
  });

  it('logs in as ubuntu in /home/ubuntu', () => {
    assert.equal(loginUser(node), HYPERPOD_USER);
    assert.equal(loginUser(node), 'ubuntu');
    assert.equal(homeFolder(node), '/home/ubuntu');
  });
});
