import * as assert from 'node:assert/strict';
import {
  describeHyperPodCluster,
  hyperPodClusterContents,
  listHyperPodClusters,
  listHyperPodNodes,
} from '../../../src/sagemaker/hyperPod';
import { hyperPodRows } from '../../../src/operations/listHyperPodHosts';
import { MemoryLogger } from '../../../src/util/logger';
import { connect, useAwsEnvironment } from '../../builders/awsEnvironment';
import { ScenarioBuilder, me, other } from '../../builders/scenarioBuilder';
import { clientsFor, useEmulator, withEnv } from '../../support/emulator';

const noHyperPod = {
  ...other,
  name: 'no-hyperpod',
  accessKeyId: 'AKIANOHYPERPOD',
  deny: ['sagemaker:ListClusters'],
};

const scenario = new ScenarioBuilder().identities(me, noHyperPod).build({
  sagemaker: {
    clusters: [
      {
        name: 'big-cluster',
        id: 'big000000001',
        creationTime: '-2d',
        instanceGroups: [
          { name: 'a-workers', instanceCount: 70 },
          { name: 'b-workers', instanceCount: 60 },
        ],
      },
      { name: 'small-cluster', id: 'small0000001', creationTime: '-1h', instanceGroups: [{ name: 'only' }] },
    ],
  },
});

describe('HyperPod reads (src/sagemaker/hyperPod.ts) against the emulator', () => {
  const emulator = useEmulator(scenario);
  useAwsEnvironment(() => emulator().env(me.name));
  const sagemaker = () => clientsFor(emulator()).sagemaker;

  it('lists clusters newest first, with the id from the ARN', async () => {
    const clusters = await listHyperPodClusters(sagemaker());
    assert.deepEqual(
      clusters.map((c) => [c.name, c.id, c.status]),
      [
        ['small-cluster', 'small0000001', 'InService'],
        ['big-cluster', 'big000000001', 'InService'],
      ],
    );
  });

  it('pages through every node of a cluster (130 nodes: two pages of ListClusterNodes)', async () => {
    const since = emulator().calls.lastSeq;
    const nodes = await listHyperPodNodes(sagemaker(), { name: 'big-cluster', id: 'big000000001' });
    assert.equal(nodes.length, 130);
    assert.equal(new Set(nodes.map((n) => n.instanceId)).size, 130);
    assert.ok(nodes.every((n) => n.clusterId === 'big000000001' && n.status === 'Running'));
    assert.equal(emulator().calls.count({ operation: 'ListClusterNodes', since }), 2);
  });

  it('reads the instance groups and nodes of a cluster side by side', async () => {
    const contents = await hyperPodClusterContents(sagemaker(), {
      name: 'small-cluster',
      id: 'small0000001',
    });
    assert.deepEqual(
      contents.groups.map((g) => [g.name, g.currentCount, g.targetCount]),
      [['only', 1, 1]],
    );
    assert.equal(contents.nodes.length, 1);
    assert.equal((await describeHyperPodCluster(sagemaker(), 'small-cluster')).id, 'small0000001');
  });

  it('sm-ssh list rows: one per node; an identity without ListClusters gets none, not an error', async () => {
    const rows = await hyperPodRows(await connect({}, new MemoryLogger()), new MemoryLogger());
    assert.equal(rows.length, 131);
    assert.ok(rows.every((row) => row.alias.endsWith('.hyperpod.sagemaker')));
    const denied = await withEnv(emulator().env(noHyperPod.name), async () =>
      hyperPodRows(await connect({}, new MemoryLogger()), new MemoryLogger()),
    );
    assert.deepEqual(denied, []);
  });
});
