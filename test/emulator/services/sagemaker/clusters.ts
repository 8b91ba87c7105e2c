import type { JsonObject, JsonOperation, OperationContext } from '../../operations';
import type { SortOrder } from '../../pagination';
import { JsonInput } from '../../protocols/jsonInput';
import type { ClusterNodeRecord, ClusterRecord } from '../../stores/clusters';
import { invalidNextToken, readMaxResults, readNextToken, resourceNotFound, SORT_ORDERS } from './common';

/** ClusterName in Describe/ListClusterNodes: a name or the cluster's ARN. */
const CLUSTER_NAME_OR_ARN =
  /^(arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:cluster\/[a-z0-9]{12})$|^([a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})$/;
const SORT_BY = ['CREATION_TIME', 'NAME'] as const;

interface TimeWindow {
  readonly after?: Date;
  readonly before?: Date;
}

function readWindow(input: JsonInput): TimeWindow {
  return { after: input.timestamp('CreationTimeAfter'), before: input.timestamp('CreationTimeBefore') };
}

function inWindow(time: Date, window: TimeWindow): boolean {
  return (
    (window.after === undefined || time > window.after) &&
    (window.before === undefined || time < window.before)
  );
}

function readClusterName(input: JsonInput): string {
  return input.string('ClusterName', { required: true, max: 256, pattern: CLUSTER_NAME_OR_ARN })!;
}

function clusterNamed(context: OperationContext, nameOrArn: string): ClusterRecord {
  const cluster = context.state.clusters.find(nameOrArn);
  if (!cluster) throw resourceNotFound(`Cluster ${nameOrArn} not found.`);
  return cluster;
}

function listClusters(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const query = {
    window: readWindow(input),
    nameContains: input.string('NameContains', { max: 63, pattern: /^[a-zA-Z0-9-]+$/ }),
    sortBy: input.enumOf('SortBy', SORT_BY) ?? 'CREATION_TIME',
    sortOrder: input.enumOf('SortOrder', SORT_ORDERS) ?? 'Ascending',
    trainingPlanArn: input.string('TrainingPlanArn', { max: 2048 }),
  };
  const limit = readMaxResults(input);
  const nextToken = readNextToken(input);
  input.finish();
  const clusters = context.state.clusters;
  const order: SortOrder<ClusterRecord> = {
    key: (cluster) =>
      query.sortBy === 'NAME' ? [cluster.name] : [cluster.creationTime.getTime(), cluster.name],
    descending: query.sortOrder === 'Descending',
  };
  const page = context.pagination.page({
    scope: `ListClusters:${JSON.stringify(query)}`,
    version: clusters.version,
    items: () =>
      clusters
        .all()
        .filter(
          (cluster) =>
            inWindow(cluster.creationTime, query.window) &&
            query.trainingPlanArn === undefined &&
            (query.nameContains === undefined ||
              cluster.name.toLowerCase().includes(query.nameContains.toLowerCase())),
        ),
    order,
    nextToken,
    limit,
    invalidToken: invalidNextToken,
  });
  return {
    ClusterSummaries: page.items.map((cluster) => ({
      ClusterArn: cluster.arn,
      ClusterName: cluster.name,
      CreationTime: cluster.creationTime,
      ClusterStatus: cluster.status,
    })),
    NextToken: page.nextToken,
  };
}

function describeCluster(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const name = readClusterName(input);
  input.finish();
  const cluster = clusterNamed(context, name);
  return {
    ClusterArn: cluster.arn,
    ClusterName: cluster.name,
    ClusterStatus: cluster.status,
    CreationTime: cluster.creationTime,
    FailureMessage: cluster.failureMessage,
    InstanceGroups: cluster.instanceGroups.map((group) => ({
      CurrentCount: cluster.nodes.filter(
        (node) => node.instanceGroupName === group.name && node.status === 'Running',
      ).length,
      TargetCount: group.targetCount,
      InstanceGroupName: group.name,
      InstanceType: group.instanceType,
      LifeCycleConfig: {
        SourceS3Uri: group.lifeCycleConfig.sourceS3Uri,
        OnCreate: group.lifeCycleConfig.onCreate,
      },
      ExecutionRole: group.executionRole,
      ThreadsPerCore: 1,
      Status: group.status,
    })),
    Orchestrator:
      cluster.orchestrator === 'Eks' ? { Eks: { ClusterArn: eksArn(context, cluster) } } : undefined,
    NodeRecovery: 'Automatic',
  };
}

function eksArn(context: OperationContext, cluster: ClusterRecord): string {
  const { partition, region, account } = context.state;
  return `arn:${partition}:eks:${region}:${account}:cluster/${cluster.name}-eks`;
}

function nodeStatus(node: ClusterNodeRecord): JsonObject {
  return { Status: node.status, Message: node.message };
}

function listClusterNodes(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const name = readClusterName(input);
  const query = {
    window: readWindow(input),
    groupContains: input.string('InstanceGroupNameContains', {
      max: 63,
      pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
    }),
    sortBy: input.enumOf('SortBy', SORT_BY) ?? 'CREATION_TIME',
    sortOrder: input.enumOf('SortOrder', SORT_ORDERS) ?? 'Ascending',
  };
  input.boolean('IncludeNodeLogicalIds');
  const limit = readMaxResults(input);
  const nextToken = readNextToken(input);
  input.finish();
  const cluster = clusterNamed(context, name);
  const order: SortOrder<ClusterNodeRecord> = {
    key: (node) =>
      query.sortBy === 'NAME'
        ? [node.instanceGroupName, node.instanceId]
        : [node.launchTime.getTime(), node.instanceId],
    descending: query.sortOrder === 'Descending',
  };
  const page = context.pagination.page({
    scope: `ListClusterNodes:${cluster.arn}:${JSON.stringify(query)}`,
    version: context.state.clusters.version,
    items: () =>
      cluster.nodes.filter(
        (node) =>
          inWindow(node.launchTime, query.window) &&
          (query.groupContains === undefined ||
            node.instanceGroupName.toLowerCase().includes(query.groupContains.toLowerCase())),
      ),
    order,
    nextToken,
    limit,
    invalidToken: invalidNextToken,
  });
  return {
    ClusterNodeSummaries: page.items.map((node) => ({
      InstanceGroupName: node.instanceGroupName,
      InstanceId: node.instanceId,
      InstanceType: node.instanceType,
      LaunchTime: node.launchTime,
      InstanceStatus: nodeStatus(node),
      PrivateDnsHostname: privateDns(node),
    })),
    NextToken: page.nextToken,
  };
}

function privateDns(node: ClusterNodeRecord): string {
  return `ip-${node.privateIp.replaceAll('.', '-')}.ec2.internal`;
}

function describeClusterNode(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const name = readClusterName(input);
  const nodeId = input.string('NodeId', {
    required: true,
    min: 1,
    max: 256,
    pattern: /^i-[a-f0-9]{8}(?:[a-f0-9]{9})?$/,
  })!;
  input.finish();
  const cluster = clusterNamed(context, name);
  const node = cluster.nodes.find((candidate) => candidate.instanceId === nodeId);
  if (!node) throw resourceNotFound(`Node ${nodeId} not found in cluster ${cluster.arn}.`);
  const group = cluster.instanceGroups.find((candidate) => candidate.name === node.instanceGroupName);
  return {
    NodeDetails: {
      InstanceGroupName: node.instanceGroupName,
      InstanceId: node.instanceId,
      InstanceStatus: nodeStatus(node),
      InstanceType: node.instanceType,
      LaunchTime: node.launchTime,
      LifeCycleConfig: group && {
        SourceS3Uri: group.lifeCycleConfig.sourceS3Uri,
        OnCreate: group.lifeCycleConfig.onCreate,
      },
      ThreadsPerCore: 1,
      PrivatePrimaryIp: node.privateIp,
      PrivateDnsHostname: privateDns(node),
    },
  };
}

/** HyperPod clusters: ListClusters, DescribeCluster, ListClusterNodes, DescribeClusterNode. */
export const clusterOperations: Record<string, JsonOperation> = {
  ListClusters: { handler: listClusters },
  DescribeCluster: { handler: describeCluster, resourceArn: clusterArnOf },
  ListClusterNodes: { handler: listClusterNodes, resourceArn: clusterArnOf },
  DescribeClusterNode: { handler: describeClusterNode, resourceArn: clusterArnOf },
};

/** The resource AccessDenied names: the cluster's ARN when the name is known. */
function clusterArnOf(body: JsonObject, context: OperationContext): string | undefined {
  const name = body.ClusterName;
  return typeof name === 'string' ? context.state.clusters.find(name)?.arn : undefined;
}
