import type { AwsConnection } from '../aws/awsAccess';
import { describeHyperPodCluster, isReachableNode } from '../sagemaker/hyperPod';
import type { HyperPodNode } from '../sagemaker/hyperPod';
import type { HyperPodNodeTarget } from '../targets/hyperPodNode';
import { hyperPodSsmTarget } from '../targets/hyperPodNode';
import { errorName } from '../util/errors';
import {
  HyperPodClusterNotFoundError,
  HyperPodNodeNotFoundError,
  HyperPodNodeNotRunningError,
} from './hyperPodErrors';

/** A node known to be Running, with the cluster id its SSM target needs. */
export interface ReachableHyperPodNode {
  readonly target: HyperPodNodeTarget & { readonly clusterId: string };
  /** `sagemaker-cluster:<cluster-id>_<group>-<instance-id>` */
  readonly ssmTarget: string;
}

/** How long a node the HyperPod view listed as Running stands in for a fresh DescribeClusterNode. */
export const SEEN_NODE_TRUST_MS = 60_000;

/** What the view read for a node, and when. */
export interface SeenHyperPodNode {
  readonly node: HyperPodNode;
  readonly checkedAt: number;
}

function reachable(target: HyperPodNodeTarget, clusterId: string): ReachableHyperPodNode {
  const withId = { ...target, clusterId };
  return { target: withId, ssmTarget: hyperPodSsmTarget(withId) };
}

/** The node the view showed less than a minute ago as Running, if it is this target. */
export function recentlySeenHyperPodNode(
  target: HyperPodNodeTarget,
  seen: SeenHyperPodNode | undefined,
  now = Date.now(),
): ReachableHyperPodNode | undefined {
  if (
    seen === undefined ||
    now - seen.checkedAt > SEEN_NODE_TRUST_MS ||
    !isReachableNode(seen.node) ||
    seen.node.instanceId !== target.instanceId ||
    seen.node.group !== target.group ||
    seen.node.clusterName !== target.clusterName
  ) {
    return undefined;
  }
  return reachable(target, seen.node.clusterId);
}

function isNotFound(error: unknown): boolean {
  return errorName(error) === 'ResourceNotFound';
}

/**
 * The node's SSM target, after checking with SageMaker that it exists in that group and is
 * Running: DescribeCluster (for the cluster id, unless the target has it) and DescribeClusterNode.
 */
export async function resolveHyperPodNode(
  connection: AwsConnection,
  target: HyperPodNodeTarget,
): Promise<ReachableHyperPodNode> {
  const sagemaker = await connection.clients.sagemaker();
  const { DescribeClusterNodeCommand } = await import('@aws-sdk/client-sagemaker');
  const notFound = (error: unknown): never => {
    if (isNotFound(error)) {
      throw new HyperPodClusterNotFoundError(
        target.clusterName,
        connection.clients.region,
        connection.context.surface,
      );
    }
    throw error;
  };
  const clusterId =
    target.clusterId ?? (await describeHyperPodCluster(sagemaker, target.clusterName).catch(notFound)).id;
  const described = await sagemaker
    .send(new DescribeClusterNodeCommand({ ClusterName: target.clusterName, NodeId: target.instanceId }))
    .catch((error: unknown) => {
      if (isNotFound(error)) {
        throw new HyperPodNodeNotFoundError(target.clusterName, target.group, target.instanceId);
      }
      throw error;
    });
  const details = described.NodeDetails;
  if (details?.InstanceGroupName !== undefined && details.InstanceGroupName !== target.group) {
    throw new HyperPodNodeNotFoundError(
      target.clusterName,
      target.group,
      target.instanceId,
      details.InstanceGroupName,
    );
  }
  const status = details?.InstanceStatus?.Status ?? 'Unknown';
  if (!isReachableNode({ status })) {
    throw new HyperPodNodeNotRunningError(
      target.instanceId,
      target.clusterName,
      status,
      details?.InstanceStatus?.Message || undefined,
    );
  }
  return reachable(target, clusterId);
}
