import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { clusterIdOfArn } from '../targets/hyperPodNode';
import { collectPages } from '../aws/collectPages';

/** A HyperPod cluster as ListClusters shows it. */
export interface HyperPodCluster {
  readonly name: string;
  readonly arn: string;
  /** The ARN's last segment, which `sagemaker-cluster:` targets use (not the name). */
  readonly id: string;
  /** Creating, InService, Updating, SystemUpdating, RollingBack, Deleting or Failed. */
  readonly status: string;
  readonly creationTime?: Date;
}

export interface HyperPodInstanceGroup {
  readonly name: string;
  readonly instanceType?: string;
  readonly status?: string;
  readonly currentCount?: number;
  readonly targetCount?: number;
}

export interface HyperPodNode {
  readonly clusterName: string;
  readonly clusterId: string;
  readonly group: string;
  readonly instanceId: string;
  readonly instanceType?: string;
  /** Running, Pending, ShuttingDown, SystemUpdating, DeepHealthCheckInProgress, Failure or NotFound. */
  readonly status: string;
  readonly statusMessage?: string;
  readonly launchTime?: Date;
}

/** What expanding a cluster shows: its instance groups, each with its nodes. */
export interface HyperPodClusterContents {
  readonly groups: readonly HyperPodInstanceGroup[];
  readonly nodes: readonly HyperPodNode[];
}

const HYPERPOD_MAX_PAGES = 50;

/** Every cluster in the region, newest first (ListClusters, 100 a page). */
export async function listHyperPodClusters(sagemaker: SageMakerClient): Promise<HyperPodCluster[]> {
  const { ListClustersCommand } = await import('@aws-sdk/client-sagemaker');
  const summaries = await collectPages(HYPERPOD_MAX_PAGES, async (NextToken) => {
    const out = await sagemaker.send(
      new ListClustersCommand({
        NextToken,
        MaxResults: 100,
        SortBy: 'CREATION_TIME',
        SortOrder: 'Descending',
      }),
    );
    return { items: out.ClusterSummaries ?? [], nextToken: out.NextToken };
  });
  return summaries.flatMap((summary) => {
    const id = summary.ClusterArn ? clusterIdOfArn(summary.ClusterArn) : undefined;
    if (!summary.ClusterName || !summary.ClusterArn || id === undefined) return [];
    return [
      {
        name: summary.ClusterName,
        arn: summary.ClusterArn,
        id,
        status: summary.ClusterStatus ?? 'Unknown',
        creationTime: summary.CreationTime,
      },
    ];
  });
}

/** The cluster's id (for the SSM target) and instance groups: one DescribeCluster. */
export async function describeHyperPodCluster(
  sagemaker: SageMakerClient,
  clusterName: string,
): Promise<HyperPodCluster & { readonly groups: readonly HyperPodInstanceGroup[] }> {
  const { DescribeClusterCommand } = await import('@aws-sdk/client-sagemaker');
  const out = await sagemaker.send(new DescribeClusterCommand({ ClusterName: clusterName }));
  const arn = out.ClusterArn ?? '';
  const id = clusterIdOfArn(arn);
  if (id === undefined) {
    throw new Error(`DescribeCluster answered an ARN without a cluster id: "${arn}"`);
  }
  return {
    name: out.ClusterName ?? clusterName,
    arn,
    id,
    status: out.ClusterStatus ?? 'Unknown',
    creationTime: out.CreationTime,
    groups: (out.InstanceGroups ?? []).flatMap((group) =>
      group.InstanceGroupName
        ? [
            {
              name: group.InstanceGroupName,
              instanceType: group.InstanceType,
              status: group.Status,
              currentCount: group.CurrentCount,
              targetCount: group.TargetCount,
            },
          ]
        : [],
    ),
  };
}

/** Every node of a cluster (ListClusterNodes, 100 a page), ordered by instance group and id. */
export async function listHyperPodNodes(
  sagemaker: SageMakerClient,
  cluster: Pick<HyperPodCluster, 'name' | 'id'>,
): Promise<HyperPodNode[]> {
  const { ListClusterNodesCommand } = await import('@aws-sdk/client-sagemaker');
  const summaries = await collectPages(HYPERPOD_MAX_PAGES, async (NextToken) => {
    const out = await sagemaker.send(
      new ListClusterNodesCommand({ ClusterName: cluster.name, NextToken, MaxResults: 100, SortBy: 'NAME' }),
    );
    return { items: out.ClusterNodeSummaries ?? [], nextToken: out.NextToken };
  });
  return summaries.flatMap((summary) =>
    summary.InstanceGroupName && summary.InstanceId
      ? [
          {
            clusterName: cluster.name,
            clusterId: cluster.id,
            group: summary.InstanceGroupName,
            instanceId: summary.InstanceId,
            instanceType: summary.InstanceType,
            status: summary.InstanceStatus?.Status ?? 'Unknown',
            statusMessage: summary.InstanceStatus?.Message || undefined,
            launchTime: summary.LaunchTime,
          },
        ]
      : [],
  );
}

/** A cluster's groups and nodes: DescribeCluster and ListClusterNodes, side by side. */
export async function hyperPodClusterContents(
  sagemaker: SageMakerClient,
  cluster: Pick<HyperPodCluster, 'name' | 'id'>,
): Promise<HyperPodClusterContents> {
  const [described, nodes] = await Promise.all([
    describeHyperPodCluster(sagemaker, cluster.name),
    listHyperPodNodes(sagemaker, cluster),
  ]);
  return { groups: described.groups, nodes };
}

/** Nodes a session can reach: AWS's agent answers only on running instances. */
export function isReachableNode(node: Pick<HyperPodNode, 'status'>): boolean {
  return node.status === 'Running';
}
