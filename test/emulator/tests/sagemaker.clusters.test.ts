import * as assert from 'node:assert/strict';
import {
  DescribeClusterCommand,
  DescribeClusterNodeCommand,
  ListClusterNodesCommand,
  ListClustersCommand,
  paginateListClusterNodes,
  ResourceNotFound,
} from '@aws-sdk/client-sagemaker';
import type { ScenarioDocument } from '..';
import { clientsFor, expectAwsError, useEmulator } from '../../support/emulator';

const scenario: ScenarioDocument = {
  identities: [
    {
      name: 'dev',
      accessKeyId: 'AKIDDEV0000000000000',
      secretAccessKey: 'dev-secret',
      arn: 'arn:aws:iam::123456789012:user/dev',
      userId: 'AIDADEV',
    },
    {
      name: 'no-nodes',
      accessKeyId: 'AKIDNONODES000000000',
      secretAccessKey: 'no-nodes-secret',
      arn: 'arn:aws:iam::123456789012:user/no-nodes',
      userId: 'AIDANONODES',
      deny: ['sagemaker:ListClusterNodes'],
    },
  ],
  sagemaker: {
    clusters: [
      {
        name: 'ml-cluster',
        id: 'abcd1234efgh',
        creationTime: '-3d',
        instanceGroups: [
          {
            name: 'controller-machine',
            instanceType: 'ml.c5.xlarge',
            nodes: [{ id: 'i-0aaaaaaaaaaaaaaaa', launchTime: '-3d' }],
          },
          {
            name: 'worker-group-1',
            instanceType: 'ml.g5.2xlarge',
            nodes: [
              { id: 'i-0bbbbbbbbbbbbbbbb', launchTime: '-2d' },
              { id: 'i-0cccccccccccccccc', launchTime: '-1d', status: 'Pending', message: 'booting' },
            ],
            instanceCount: 2,
          },
        ],
      },
      { name: 'eks-cluster', creationTime: '-1d', status: 'Creating', orchestrator: 'Eks' },
    ],
  },
};

describe('emulator: SageMaker HyperPod clusters', () => {
  const emulator = useEmulator(scenario);
  const sagemaker = () => clientsFor(emulator()).sagemaker;

  it('lists clusters with their status, oldest first by default, and filters by name', async () => {
    const list = await sagemaker().send(new ListClustersCommand({}));
    assert.deepEqual(
      list.ClusterSummaries!.map((cluster) => [cluster.ClusterName, cluster.ClusterStatus]),
      [
        ['ml-cluster', 'InService'],
        ['eks-cluster', 'Creating'],
      ],
    );
    assert.equal(
      list.ClusterSummaries![0]!.ClusterArn,
      'arn:aws:sagemaker:us-east-1:123456789012:cluster/abcd1234efgh',
    );
    assert.ok(list.ClusterSummaries![0]!.CreationTime instanceof Date);
    const filtered = await sagemaker().send(new ListClustersCommand({ NameContains: 'EKS' }));
    assert.deepEqual(
      filtered.ClusterSummaries!.map((cluster) => cluster.ClusterName),
      ['eks-cluster'],
    );
    const paged = await sagemaker().send(new ListClustersCommand({ MaxResults: 1, SortOrder: 'Descending' }));
    assert.deepEqual(
      paged.ClusterSummaries!.map((cluster) => cluster.ClusterName),
      ['eks-cluster'],
    );
    assert.ok(paged.NextToken);
  });

  it('describes a cluster by name or ARN with its instance groups', async () => {
    const byName = await sagemaker().send(new DescribeClusterCommand({ ClusterName: 'ml-cluster' }));
    const byArn = await sagemaker().send(new DescribeClusterCommand({ ClusterName: byName.ClusterArn }));
    assert.equal(byArn.ClusterName, 'ml-cluster');
    assert.deepEqual(
      byName.InstanceGroups!.map((group) => [
        group.InstanceGroupName,
        group.InstanceType,
        group.CurrentCount,
        group.TargetCount,
        group.Status,
      ]),
      [
        ['controller-machine', 'ml.c5.xlarge', 1, 1, 'InService'],
        ['worker-group-1', 'ml.g5.2xlarge', 3, 4, 'InService'],
      ],
    );
    const eks = await sagemaker().send(new DescribeClusterCommand({ ClusterName: 'eks-cluster' }));
    assert.match(eks.Orchestrator!.Eks!.ClusterArn!, /^arn:aws:eks:/);
  });

  it('answers ResourceNotFound for an unknown cluster, and ValidationException for a malformed name', async () => {
    const error = await expectAwsError(
      sagemaker().send(new DescribeClusterCommand({ ClusterName: 'no-such-cluster' })),
      'ResourceNotFound',
      400,
    );
    assert.ok(error instanceof ResourceNotFound);
    await expectAwsError(
      sagemaker().send(new ListClusterNodesCommand({ ClusterName: 'no-such-cluster' })),
      'ResourceNotFound',
      400,
    );
    await expectAwsError(
      sagemaker().send(new DescribeClusterCommand({ ClusterName: 'bad_name' })),
      'ValidationException',
      400,
    );
  });

  it('pages through the nodes with their instance status, and filters by instance group', async () => {
    const nodes = [];
    for await (const page of paginateListClusterNodes(
      { client: sagemaker(), pageSize: 2 },
      { ClusterName: 'ml-cluster', SortBy: 'NAME' },
    )) {
      nodes.push(...page.ClusterNodeSummaries!);
    }
    assert.equal(nodes.length, 5);
    assert.deepEqual(
      nodes.slice(0, 3).map((node) => [node.InstanceGroupName, node.InstanceId, node.InstanceStatus?.Status]),
      [
        ['controller-machine', 'i-0aaaaaaaaaaaaaaaa', 'Running'],
        ['worker-group-1', 'i-0bbbbbbbbbbbbbbbb', 'Running'],
        ['worker-group-1', 'i-0cccccccccccccccc', 'Pending'],
      ],
    );
    assert.equal(nodes[2]!.InstanceStatus!.Message, 'booting');
    assert.match(nodes[3]!.InstanceId!, /^i-[0-9a-f]{17}$/);
    const workers = await sagemaker().send(
      new ListClusterNodesCommand({ ClusterName: 'ml-cluster', InstanceGroupNameContains: 'worker' }),
    );
    assert.ok(workers.ClusterNodeSummaries!.every((node) => node.InstanceGroupName === 'worker-group-1'));
  });

  it('describes one node, and answers ResourceNotFound for an unknown one', async () => {
    const node = await sagemaker().send(
      new DescribeClusterNodeCommand({ ClusterName: 'ml-cluster', NodeId: 'i-0bbbbbbbbbbbbbbbb' }),
    );
    assert.equal(node.NodeDetails!.InstanceGroupName, 'worker-group-1');
    assert.equal(node.NodeDetails!.InstanceStatus!.Status, 'Running');
    assert.match(node.NodeDetails!.PrivatePrimaryIp!, /^10\.1\./);
    await expectAwsError(
      sagemaker().send(
        new DescribeClusterNodeCommand({ ClusterName: 'ml-cluster', NodeId: 'i-0ddddddddddddddd0' }),
      ),
      'ResourceNotFound',
      400,
    );
  });

  it('denies ListClusterNodes naming the cluster ARN', async () => {
    const denied = clientsFor(emulator(), 'no-nodes').sagemaker;
    const error = await expectAwsError(
      denied.send(new ListClusterNodesCommand({ ClusterName: 'ml-cluster' })),
      'AccessDeniedException',
      400,
    );
    assert.match(
      error.message,
      /sagemaker:ListClusterNodes on resource: arn:aws:sagemaker:[^ ]*:cluster\/abcd1234efgh/,
    );
  });
});
