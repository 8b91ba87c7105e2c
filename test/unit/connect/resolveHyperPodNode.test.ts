import * as assert from 'node:assert/strict';
import { resolveHyperPodNode, recentlySeenHyperPodNode } from '../../../src/connect/resolveHyperPodNode';
import { resolveSshNode } from '../../../src/connect/resolveTarget';
import type { HyperPodNodeTarget } from '../../../src/targets/hyperPodNode';
import { MemoryLogger } from '../../../src/util/logger';
import { connect, useAwsEnvironment } from '../../builders/awsEnvironment';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { useEmulator } from '../../support/emulator';

const scenario = new ScenarioBuilder().build({
  sagemaker: {
    clusters: [
      {
        name: 'ml-cluster',
        id: 'abcd1234efgh',
        instanceGroups: [
          {
            name: 'workers',
            nodes: [
              { id: 'i-0aaaaaaaaaaaaaaaa' },
              { id: 'i-0bbbbbbbbbbbbbbbb', status: 'Pending', message: 'health checks' },
            ],
          },
        ],
      },
    ],
  },
});

const node: HyperPodNodeTarget = {
  kind: 'hyperPodNode',
  clusterName: 'ml-cluster',
  group: 'workers',
  instanceId: 'i-0aaaaaaaaaaaaaaaa',
};

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('resolving a HyperPod node', () => {
  const emulator = useEmulator(scenario);
  useAwsEnvironment(() => emulator().env(me.name));

  it('finds the cluster id and checks the node: DescribeCluster + DescribeClusterNode', async () => {
    const since = emulator().calls.lastSeq;
    const resolved = await resolveHyperPodNode(await connect({}, new MemoryLogger()), node);
    assert.equal(resolved.ssmTarget, 'sagemaker-cluster:abcd1234efgh_workers-i-0aaaaaaaaaaaaaaaa');
    assert.deepEqual(
      emulator()
        .calls.filter({ since })
        .map((call) => call.operation),
      ['DescribeCluster', 'DescribeClusterNode'],
    );
  });

  it('skips DescribeCluster when the cluster id is known (the ProxyCommand passes it)', async () => {
    const since = emulator().calls.lastSeq;
    await resolveHyperPodNode(await connect({}, new MemoryLogger()), { ...node, clusterId: 'abcd1234efgh' });
    assert.equal(emulator().calls.count({ operation: 'DescribeCluster', since }), 0);
  });

  it('names an unknown cluster, an unknown node, a wrong group and a node that is not Running', async () => {
    const connection = await connect({}, new MemoryLogger());
    assert.equal(
      await codeOf(resolveHyperPodNode(connection, { ...node, clusterName: 'no-such-cluster' })),
      'HyperPodClusterNotFound',
    );
    assert.equal(
      await codeOf(resolveHyperPodNode(connection, { ...node, instanceId: 'i-0cccccccccccccccc' })),
      'HyperPodNodeNotFound',
    );
    assert.equal(
      await codeOf(resolveHyperPodNode(connection, { ...node, group: 'other' })),
      'HyperPodNodeNotFound',
    );
    assert.equal(
      await codeOf(resolveHyperPodNode(connection, { ...node, instanceId: 'i-0bbbbbbbbbbbbbbbb' })),
      'HyperPodNodeNotRunning',
    );
  });

  it('commands that need our payload say they do not work on HyperPod nodes', async () => {
    assert.equal(await codeOf(resolveSshNode(await connect({}, new MemoryLogger()), node)), 'NotForHyperPod');
  });

  it('trusts what the view listed for a minute, for Running nodes only', () => {
    const listed = {
      clusterName: 'ml-cluster',
      clusterId: 'abcd1234efgh',
      group: 'workers',
      instanceId: 'i-0aaaaaaaaaaaaaaaa',
      status: 'Running',
    };
    const now = 1_000_000;
    assert.ok(recentlySeenHyperPodNode(node, { node: listed, checkedAt: now - 1000 }, now));
    assert.equal(recentlySeenHyperPodNode(node, { node: listed, checkedAt: now - 120_000 }, now), undefined);
    assert.equal(
      recentlySeenHyperPodNode(node, { node: { ...listed, status: 'Pending' }, checkedAt: now }, now),
      undefined,
    );
  });
});
