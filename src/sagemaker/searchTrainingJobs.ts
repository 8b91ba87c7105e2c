import type {
  SageMakerClient,
  SearchExpression,
  TrainingJob as SdkTrainingJob,
} from '@aws-sdk/client-sagemaker';
import type { TrainingJob } from './trainingJob';

export interface TrainingJobQuery {
  readonly status?: string;
  readonly nameContains?: string;
  readonly createdAfter?: Date;
  /** Restrict to these job names (from SSH registrations, for "only mine" / "only SSH-ready"). */
  readonly names?: readonly string[];
}

export interface TrainingJobPage {
  readonly jobs: readonly TrainingJob[];
  readonly nextToken?: string;
}

function searchExpression(query: TrainingJobQuery): SearchExpression | undefined {
  const filters: NonNullable<SearchExpression['Filters']> = [];
  if (query.status) {
    filters.push({ Name: 'TrainingJobStatus', Operator: 'Equals', Value: query.status });
  }
  if (query.nameContains) {
    filters.push({ Name: 'TrainingJobName', Operator: 'Contains', Value: query.nameContains });
  }
  if (query.createdAfter) {
    filters.push({
      Name: 'CreationTime',
      Operator: 'GreaterThanOrEqualTo',
      Value: query.createdAfter.toISOString(),
    });
  }
  if (query.names) {
    filters.push({ Name: 'TrainingJobName', Operator: 'In', Value: query.names.join(',') });
  }
  return filters.length ? { Filters: filters, Operator: 'And' } : undefined;
}

export function toTrainingJob(job: SdkTrainingJob): TrainingJob | undefined {
  if (!job.TrainingJobName || !job.TrainingJobArn || !job.TrainingJobStatus) {
    return undefined;
  }
  return {
    name: job.TrainingJobName,
    arn: job.TrainingJobArn,
    status: job.TrainingJobStatus,
    secondaryStatus: job.SecondaryStatus,
    creationTime: job.CreationTime,
    trainingStartTime: job.TrainingStartTime,
    trainingEndTime: job.TrainingEndTime,
    lastModifiedTime: job.LastModifiedTime,
    failureReason: job.FailureReason,
    instanceType: job.ResourceConfig?.InstanceType,
    instanceCount: job.ResourceConfig?.InstanceCount,
    algorithmName: job.AlgorithmSpecification?.AlgorithmName,
  };
}

/**
 * One page of training jobs, newest first. Search (unlike ListTrainingJobs) returns each job's
 * resource config, so instance type and count cost no extra call per job.
 */
export async function searchTrainingJobs(
  sagemaker: SageMakerClient,
  query: TrainingJobQuery,
  page: { readonly pageSize: number; readonly nextToken?: string },
): Promise<TrainingJobPage> {
  if (query.names?.length === 0) {
    return { jobs: [] };
  }
  const { SearchCommand } = await import('@aws-sdk/client-sagemaker');
  const out = await sagemaker.send(
    new SearchCommand({
      Resource: 'TrainingJob',
      SearchExpression: searchExpression(query),
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: page.pageSize,
      NextToken: page.nextToken,
    }),
  );
  const jobs = (out.Results ?? [])
    .map((r) => (r.TrainingJob ? toTrainingJob(r.TrainingJob) : undefined))
    .filter((j): j is TrainingJob => j !== undefined);
  return { jobs, nextToken: out.NextToken };
}
