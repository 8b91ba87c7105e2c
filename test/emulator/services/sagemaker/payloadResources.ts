import { validationError } from '../../errors';
import type { JsonObject, JsonOperation, OperationContext } from '../../operations';
import type { SortKey, SortOrder } from '../../pagination';
import { JsonInput } from '../../protocols/jsonInput';
import { ENDPOINT_STATUSES, JOB_STATUSES, NOTEBOOK_INSTANCE_STATUSES } from '../../scenario/payloadResources';
import type { PayloadResourceKind, PayloadResourceRecord } from '../../stores/payloadResources';
import {
  NAME_PATTERN,
  SORT_ORDERS,
  invalidNextToken,
  readMaxResults,
  readNextToken,
  resourceNotFound,
} from './common';

/*
 * ListProcessingJobs/DescribeProcessingJob, ListTransformJobs/DescribeTransformJob,
 * ListEndpoints/DescribeEndpoint and ListNotebookInstances/DescribeNotebookInstance on SageMaker's
 * JSON 1.1 shapes (@aws-sdk/client-sagemaker's ProcessingJobSummary, DescribeEndpointOutput, …).
 * The four List operations share their filters (CreationTime*, LastModifiedTime*, NameContains,
 * StatusEquals), SortBy Name | CreationTime | Status, and keyset pagination.
 */

interface Listing {
  readonly operation: string;
  readonly kind: PayloadResourceKind;
  readonly resultKey: string;
  readonly statuses: readonly string[];
  readonly defaultSortBy: 'Name' | 'CreationTime';
  readonly defaultSortOrder: 'Ascending' | 'Descending';
  readonly summary: (record: PayloadResourceRecord, context: OperationContext) => JsonObject;
}

function sortOrder(sortBy: string, descending: boolean): SortOrder<PayloadResourceRecord> {
  const key = (record: PayloadResourceRecord): SortKey => {
    const id = record.name.toLowerCase();
    if (sortBy === 'Name') return [id];
    if (sortBy === 'Status') return [record.status, record.creationTime.getTime(), id];
    return [record.creationTime.getTime(), id];
  };
  return { key, descending };
}

function listResources(listing: Listing, body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const query = {
    createdAfter: input.timestamp('CreationTimeAfter')?.getTime(),
    createdBefore: input.timestamp('CreationTimeBefore')?.getTime(),
    modifiedAfter: input.timestamp('LastModifiedTimeAfter')?.getTime(),
    modifiedBefore: input.timestamp('LastModifiedTimeBefore')?.getTime(),
    nameContains: input.string('NameContains', { max: 63, pattern: /^[a-zA-Z0-9-]+$/ }),
    status: input.enumOf('StatusEquals', listing.statuses),
    sortBy: input.enumOf('SortBy', ['Name', 'CreationTime', 'Status'] as const) ?? listing.defaultSortBy,
    sortOrder: input.enumOf('SortOrder', SORT_ORDERS) ?? listing.defaultSortOrder,
  };
  const limit = readMaxResults(input);
  const nextToken = readNextToken(input);
  input.finish();
  const store = context.state.payloadResources;
  const page = context.pagination.page({
    scope: `${listing.operation}:${JSON.stringify(query)}`,
    version: store.version,
    items: () => store.all(listing.kind).filter((record) => matches(record, query)),
    order: sortOrder(query.sortBy, query.sortOrder === 'Descending'),
    nextToken,
    limit,
    invalidToken: invalidNextToken,
  });
  return {
    [listing.resultKey]: page.items.map((record) => listing.summary(record, context)),
    NextToken: page.nextToken,
  };
}

function matches(
  record: PayloadResourceRecord,
  query: {
    createdAfter?: number;
    createdBefore?: number;
    modifiedAfter?: number;
    modifiedBefore?: number;
    nameContains?: string;
    status?: string;
  },
): boolean {
  const created = record.creationTime.getTime();
  const modified = record.lastModifiedTime.getTime();
  return (
    (query.createdAfter === undefined || created > query.createdAfter) &&
    (query.createdBefore === undefined || created < query.createdBefore) &&
    (query.modifiedAfter === undefined || modified > query.modifiedAfter) &&
    (query.modifiedBefore === undefined || modified < query.modifiedBefore) &&
    (query.nameContains === undefined ||
      record.name.toLowerCase().includes(query.nameContains.toLowerCase())) &&
    (query.status === undefined || record.status === query.status)
  );
}

function readName(body: JsonObject, member: string): string {
  const input = JsonInput.of(body);
  const name = input.string(member, { required: true, min: 1, max: 63, pattern: NAME_PATTERN })!;
  input.finish();
  return name;
}

function notebookUrl(record: PayloadResourceRecord, context: OperationContext): string {
  return `${record.name.toLowerCase()}.notebook.${context.state.region}.sagemaker.aws`;
}

const processingListing: Listing = {
  operation: 'ListProcessingJobs',
  kind: 'processing-job',
  resultKey: 'ProcessingJobSummaries',
  statuses: JOB_STATUSES,
  defaultSortBy: 'CreationTime',
  defaultSortOrder: 'Ascending',
  summary: (r) => ({
    ProcessingJobName: r.name,
    ProcessingJobArn: r.arn,
    CreationTime: r.creationTime,
    ProcessingEndTime: r.endTime,
    LastModifiedTime: r.lastModifiedTime,
    ProcessingJobStatus: r.status,
    FailureReason: r.failureReason,
  }),
};

const transformListing: Listing = {
  operation: 'ListTransformJobs',
  kind: 'transform-job',
  resultKey: 'TransformJobSummaries',
  statuses: JOB_STATUSES,
  defaultSortBy: 'CreationTime',
  defaultSortOrder: 'Descending',
  summary: (r) => ({
    TransformJobName: r.name,
    TransformJobArn: r.arn,
    CreationTime: r.creationTime,
    TransformEndTime: r.endTime,
    LastModifiedTime: r.lastModifiedTime,
    TransformJobStatus: r.status,
    FailureReason: r.failureReason,
  }),
};

const endpointListing: Listing = {
  operation: 'ListEndpoints',
  kind: 'endpoint',
  resultKey: 'Endpoints',
  statuses: ENDPOINT_STATUSES,
  defaultSortBy: 'CreationTime',
  defaultSortOrder: 'Descending',
  summary: (r) => ({
    EndpointName: r.name,
    EndpointArn: r.arn,
    CreationTime: r.creationTime,
    LastModifiedTime: r.lastModifiedTime,
    EndpointStatus: r.status,
  }),
};

const notebookListing: Listing = {
  operation: 'ListNotebookInstances',
  kind: 'notebook-instance',
  resultKey: 'NotebookInstances',
  statuses: NOTEBOOK_INSTANCE_STATUSES,
  defaultSortBy: 'Name',
  defaultSortOrder: 'Ascending',
  summary: (r, context) => ({
    NotebookInstanceName: r.name,
    NotebookInstanceArn: r.arn,
    NotebookInstanceStatus: r.status,
    Url: notebookUrl(r, context),
    InstanceType: r.instanceType,
    CreationTime: r.creationTime,
    LastModifiedTime: r.lastModifiedTime,
  }),
};

function describeProcessingJob(body: JsonObject, context: OperationContext): JsonObject {
  const name = readName(body, 'ProcessingJobName');
  const r = context.state.payloadResources.get('processing-job', name);
  if (!r) throw resourceNotFound(`Could not find requested job with name ${name}`);
  return {
    ProcessingJobName: r.name,
    ProcessingJobArn: r.arn,
    ProcessingResources: {
      ClusterConfig: { InstanceCount: r.instanceCount, InstanceType: r.instanceType, VolumeSizeInGB: 30 },
    },
    StoppingCondition: { MaxRuntimeInSeconds: 86400 },
    AppSpecification: {
      ImageUri: r.image,
      ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/process.py'],
    },
    Environment: r.environment,
    RoleArn: r.roleArn,
    ProcessingJobStatus: r.status,
    FailureReason: r.failureReason,
    ProcessingStartTime: r.startTime,
    ProcessingEndTime: r.endTime,
    CreationTime: r.creationTime,
    LastModifiedTime: r.lastModifiedTime,
  };
}

function describeTransformJob(body: JsonObject, context: OperationContext): JsonObject {
  const name = readName(body, 'TransformJobName');
  const r = context.state.payloadResources.get('transform-job', name);
  if (!r) throw resourceNotFound(`Could not find requested job with name ${name}`);
  const bucket = `sagemaker-${context.state.region}-${context.state.account}`;
  return {
    TransformJobName: r.name,
    TransformJobArn: r.arn,
    TransformJobStatus: r.status,
    FailureReason: r.failureReason,
    ModelName: r.configName,
    Environment: r.environment,
    TransformInput: {
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${bucket}/${r.name}/input` } },
      ContentType: 'text/csv',
      CompressionType: 'None',
      SplitType: 'Line',
    },
    TransformOutput: { S3OutputPath: `s3://${bucket}/${r.name}/output`, AssembleWith: 'None' },
    TransformResources: { InstanceType: r.instanceType, InstanceCount: r.instanceCount },
    CreationTime: r.creationTime,
    TransformStartTime: r.startTime,
    TransformEndTime: r.endTime,
  };
}

function describeEndpoint(body: JsonObject, context: OperationContext): JsonObject {
  const name = readName(body, 'EndpointName');
  const r = context.state.payloadResources.get('endpoint', name);
  if (!r)
    throw validationError(
      `Could not find endpoint "${context.state.arns.payloadResource('endpoint', name)}".`,
    );
  const running = r.status === 'InService' || r.status === 'Updating' || r.status === 'SystemUpdating';
  return {
    EndpointName: r.name,
    EndpointArn: r.arn,
    EndpointConfigName: r.configName,
    ProductionVariants: [
      {
        VariantName: 'AllTraffic',
        DeployedImages: [{ SpecifiedImage: r.image, ResolvedImage: r.image, ResolutionTime: r.creationTime }],
        CurrentWeight: 1,
        DesiredWeight: 1,
        CurrentInstanceCount: running ? r.instanceCount : 0,
        DesiredInstanceCount: r.instanceCount,
      },
    ],
    EndpointStatus: r.status,
    FailureReason: r.failureReason,
    CreationTime: r.creationTime,
    LastModifiedTime: r.lastModifiedTime,
  };
}

function describeNotebookInstance(body: JsonObject, context: OperationContext): JsonObject {
  const name = readName(body, 'NotebookInstanceName');
  const r = context.state.payloadResources.get('notebook-instance', name);
  if (!r) throw validationError('RecordNotFound');
  return {
    NotebookInstanceArn: r.arn,
    NotebookInstanceName: r.name,
    NotebookInstanceStatus: r.status,
    FailureReason: r.failureReason,
    Url: notebookUrl(r, context),
    InstanceType: r.instanceType,
    RoleArn: r.roleArn,
    DirectInternetAccess: 'Enabled',
    VolumeSizeInGB: 5,
    RootAccess: 'Enabled',
    PlatformIdentifier: 'notebook-al2-v2',
    CreationTime: r.creationTime,
    LastModifiedTime: r.lastModifiedTime,
  };
}

function arnOf(kind: PayloadResourceKind, member: string) {
  return (body: JsonObject, context: OperationContext): string | undefined =>
    typeof body[member] === 'string' ? context.state.arns.payloadResource(kind, body[member]) : undefined;
}

export const payloadResourceOperations: Record<string, JsonOperation> = {
  ListProcessingJobs: { handler: (body, context) => listResources(processingListing, body, context) },
  DescribeProcessingJob: {
    handler: describeProcessingJob,
    resourceArn: arnOf('processing-job', 'ProcessingJobName'),
  },
  ListTransformJobs: { handler: (body, context) => listResources(transformListing, body, context) },
  DescribeTransformJob: {
    handler: describeTransformJob,
    resourceArn: arnOf('transform-job', 'TransformJobName'),
  },
  ListEndpoints: { handler: (body, context) => listResources(endpointListing, body, context) },
  DescribeEndpoint: { handler: describeEndpoint, resourceArn: arnOf('endpoint', 'EndpointName') },
  ListNotebookInstances: { handler: (body, context) => listResources(notebookListing, body, context) },
  DescribeNotebookInstance: {
    handler: describeNotebookInstance,
    resourceArn: arnOf('notebook-instance', 'NotebookInstanceName'),
  },
};
