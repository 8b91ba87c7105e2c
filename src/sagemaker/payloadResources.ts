import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type * as SageMakerSdk from '@aws-sdk/client-sagemaker';
import type { PayloadResourceType } from '../targets/payloadResource';
import { isAwsError } from '../util/errors';
import { abortable } from '../util/sleep';
import type { CancellationSignal } from '../util/sleep';

/** A processing job, transform job, endpoint or notebook instance as its List operation shows it. */
export interface PayloadResource {
  readonly resourceType: PayloadResourceType;
  readonly name: string;
  readonly arn: string;
  /** InProgress, InService, Stopped…: the resource's own status field. */
  readonly status: string;
  readonly creationTime?: Date;
  readonly failureReason?: string;
}

export interface PayloadResourceQuery {
  readonly createdAfter?: Date;
  /** Pages of 100 to read at most (newest first). */
  readonly maxPages?: number;
  readonly signal?: CancellationSignal;
}

/** The statuses in which the resource's containers run (and so can be connected to). */
const RUNNING_STATUSES: Record<PayloadResourceType, readonly string[]> = {
  processing: ['InProgress'],
  transform: ['InProgress'],
  inference: ['InService', 'Updating', 'SystemUpdating'],
  notebook: ['InService'],
};

export function isRunningStatus(resourceType: PayloadResourceType, status: string): boolean {
  return RUNNING_STATUSES[resourceType].includes(status);
}

type Sdk = typeof SageMakerSdk;

interface Summary {
  readonly name?: string;
  readonly arn?: string;
  readonly status?: string;
  readonly creationTime?: Date;
  readonly failureReason?: string;
}

interface ListPage {
  readonly summaries: Summary[];
  readonly nextToken?: string;
}

interface ListInput {
  readonly CreationTimeAfter?: Date;
  readonly NextToken?: string;
  readonly MaxResults: number;
  readonly SortOrder: 'Descending';
}

/** One page of a type's List operation, in one shape. */
async function listPage(
  sdk: Sdk,
  sagemaker: SageMakerClient,
  type: PayloadResourceType,
  input: ListInput,
  signal: CancellationSignal | undefined,
): Promise<ListPage> {
  const options = abortable(signal);
  switch (type) {
    case 'processing': {
      const out = await sagemaker.send(
        new sdk.ListProcessingJobsCommand({ ...input, SortBy: 'CreationTime' }),
        options,
      );
      return {
        nextToken: out.NextToken,
        summaries: (out.ProcessingJobSummaries ?? []).map((s) => ({
          name: s.ProcessingJobName,
          arn: s.ProcessingJobArn,
          status: s.ProcessingJobStatus,
          creationTime: s.CreationTime,
          failureReason: s.FailureReason,
        })),
      };
    }
    case 'transform': {
      const out = await sagemaker.send(
        new sdk.ListTransformJobsCommand({ ...input, SortBy: 'CreationTime' }),
        options,
      );
      return {
        nextToken: out.NextToken,
        summaries: (out.TransformJobSummaries ?? []).map((s) => ({
          name: s.TransformJobName,
          arn: s.TransformJobArn,
          status: s.TransformJobStatus,
          creationTime: s.CreationTime,
          failureReason: s.FailureReason,
        })),
      };
    }
    case 'inference': {
      const out = await sagemaker.send(
        new sdk.ListEndpointsCommand({ ...input, SortBy: 'CreationTime' }),
        options,
      );
      return {
        nextToken: out.NextToken,
        summaries: (out.Endpoints ?? []).map((s) => ({
          name: s.EndpointName,
          arn: s.EndpointArn,
          status: s.EndpointStatus,
          creationTime: s.CreationTime,
        })),
      };
    }
    case 'notebook': {
      const out = await sagemaker.send(
        new sdk.ListNotebookInstancesCommand({ ...input, SortBy: 'CreationTime' }),
        options,
      );
      return {
        nextToken: out.NextToken,
        summaries: (out.NotebookInstances ?? []).map((s) => ({
          name: s.NotebookInstanceName,
          arn: s.NotebookInstanceArn,
          status: s.NotebookInstanceStatus,
          creationTime: s.CreationTime,
        })),
      };
    }
  }
}

/** The resources of one type, newest first: one List call per page of 100. */
export async function listPayloadResources(
  sagemaker: SageMakerClient,
  resourceType: PayloadResourceType,
  query: PayloadResourceQuery = {},
): Promise<PayloadResource[]> {
  const sdk = await import('@aws-sdk/client-sagemaker');
  const found: PayloadResource[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < (query.maxPages ?? 10); page++) {
    const out = await listPage(
      sdk,
      sagemaker,
      resourceType,
      {
        CreationTimeAfter: query.createdAfter,
        NextToken: nextToken,
        MaxResults: 100,
        SortOrder: 'Descending',
      },
      query.signal,
    );
    for (const s of out.summaries) {
      if (s.name && s.arn) {
        const { name, arn, creationTime, failureReason } = s;
        found.push({ resourceType, name, arn, status: s.status ?? 'Unknown', creationTime, failureReason });
      }
    }
    nextToken = out.nextToken;
    if (!nextToken) break;
  }
  return found;
}

/**
 * SageMaker's answers for a name it does not know: ResourceNotFound (processing, transform), or a
 * ValidationException ("Could not find endpoint …", "RecordNotFound" for notebook instances).
 */
function isNotFound(error: unknown): boolean {
  return (
    isAwsError(error, 'ResourceNotFound') ||
    (isAwsError(error, 'ValidationException') &&
      /not found|could not find|RecordNotFound/i.test(error.message))
  );
}

async function describeStatus(
  sdk: Sdk,
  sagemaker: SageMakerClient,
  type: PayloadResourceType,
  name: string,
  signal: CancellationSignal | undefined,
): Promise<string | undefined> {
  const options = abortable(signal);
  switch (type) {
    case 'processing':
      return (
        await sagemaker.send(new sdk.DescribeProcessingJobCommand({ ProcessingJobName: name }), options)
      ).ProcessingJobStatus;
    case 'transform':
      return (await sagemaker.send(new sdk.DescribeTransformJobCommand({ TransformJobName: name }), options))
        .TransformJobStatus;
    case 'inference':
      return (await sagemaker.send(new sdk.DescribeEndpointCommand({ EndpointName: name }), options))
        .EndpointStatus;
    case 'notebook':
      return (
        await sagemaker.send(new sdk.DescribeNotebookInstanceCommand({ NotebookInstanceName: name }), options)
      ).NotebookInstanceStatus;
  }
}

/** The resource's status (InProgress, InService…), or undefined when SageMaker has no such resource. */
export async function payloadResourceStatus(
  sagemaker: SageMakerClient,
  resourceType: PayloadResourceType,
  name: string,
  signal?: CancellationSignal,
): Promise<string | undefined> {
  const sdk = await import('@aws-sdk/client-sagemaker');
  try {
    return (await describeStatus(sdk, sagemaker, resourceType, name, signal)) ?? 'Unknown';
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
