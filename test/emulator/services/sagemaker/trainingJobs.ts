import { validationError } from '../../errors';
import type { JsonObject, JsonOperation, OperationContext } from '../../operations';
import type { SortKey, SortOrder } from '../../pagination';
import { JsonInput } from '../../protocols/jsonInput';
import { TRAINING_JOB_STATUSES, WARM_POOL_STATUSES } from '../../scenario/types';
import type { TrainingJobRecord } from '../../stores/trainingJobs';
import {
  invalidNextToken,
  NAME_PATTERN,
  readMaxResults,
  readNextToken,
  SORT_ORDERS,
  trainingJobNotFound,
} from './common';
import { trainingJobDescription, trainingJobSummary } from './shapes';

const SORT_BY = ['Name', 'CreationTime', 'Status'] as const;

interface ListTrainingJobsQuery {
  readonly creationTimeAfter?: Date;
  readonly creationTimeBefore?: Date;
  readonly lastModifiedTimeAfter?: Date;
  readonly lastModifiedTimeBefore?: Date;
  readonly nameContains?: string;
  readonly statusEquals?: string;
  readonly warmPoolStatusEquals?: string;
  readonly trainingPlanArnEquals?: string;
  readonly sortBy: (typeof SORT_BY)[number];
  readonly sortOrder: (typeof SORT_ORDERS)[number];
}

function readListQuery(input: JsonInput): ListTrainingJobsQuery {
  return {
    creationTimeAfter: input.timestamp('CreationTimeAfter'),
    creationTimeBefore: input.timestamp('CreationTimeBefore'),
    lastModifiedTimeAfter: input.timestamp('LastModifiedTimeAfter'),
    lastModifiedTimeBefore: input.timestamp('LastModifiedTimeBefore'),
    nameContains: input.string('NameContains', { max: 63, pattern: /^[a-zA-Z0-9-]+$/ }),
    statusEquals: input.enumOf('StatusEquals', TRAINING_JOB_STATUSES),
    warmPoolStatusEquals: input.enumOf('WarmPoolStatusEquals', WARM_POOL_STATUSES),
    trainingPlanArnEquals: input.string('TrainingPlanArnEquals', { max: 2048 }),
    sortBy: input.enumOf('SortBy', SORT_BY) ?? 'CreationTime',
    sortOrder: input.enumOf('SortOrder', SORT_ORDERS) ?? 'Ascending',
  };
}

function matchesListQuery(job: TrainingJobRecord, query: ListTrainingJobsQuery): boolean {
  const created = job.creationTime.getTime();
  const modified = job.lastModifiedTime.getTime();
  return (
    (query.creationTimeAfter === undefined || created > query.creationTimeAfter.getTime()) &&
    (query.creationTimeBefore === undefined || created < query.creationTimeBefore.getTime()) &&
    (query.lastModifiedTimeAfter === undefined || modified > query.lastModifiedTimeAfter.getTime()) &&
    (query.lastModifiedTimeBefore === undefined || modified < query.lastModifiedTimeBefore.getTime()) &&
    (query.nameContains === undefined || job.name.toLowerCase().includes(query.nameContains.toLowerCase())) &&
    (query.warmPoolStatusEquals === undefined || job.warmPoolStatus === query.warmPoolStatusEquals) &&
    (query.trainingPlanArnEquals === undefined || job.trainingPlanArn === query.trainingPlanArnEquals)
  );
}

function listOrder(query: ListTrainingJobsQuery): SortOrder<TrainingJobRecord> {
  const key = (job: TrainingJobRecord): SortKey => {
    switch (query.sortBy) {
      case 'Name':
        return [job.name];
      case 'Status':
        return [job.status, job.creationTime.getTime(), job.name];
      case 'CreationTime':
        return [job.creationTime.getTime(), job.name];
    }
  };
  return { key, descending: query.sortOrder === 'Descending' };
}

function listTrainingJobs(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const query = readListQuery(input);
  const limit = readMaxResults(input);
  const nextToken = readNextToken(input);
  input.finish();
  const store = context.state.trainingJobs;
  const page = context.pagination.page({
    scope: `ListTrainingJobs:${JSON.stringify(query)}`,
    version: store.version,
    items: () => {
      const candidates = query.statusEquals
        ? store.withStatus(query.statusEquals as TrainingJobRecord['status'])
        : store.all();
      return candidates.filter((job) => matchesListQuery(job, query));
    },
    order: listOrder(query),
    nextToken,
    limit,
    invalidToken: invalidNextToken,
  });
  return { TrainingJobSummaries: page.items.map(trainingJobSummary), NextToken: page.nextToken };
}

function readJobName(body: JsonObject): string {
  const input = JsonInput.of(body);
  const name = input.string('TrainingJobName', { required: true, min: 1, max: 63, pattern: NAME_PATTERN });
  input.finish();
  return name!;
}

function describeTrainingJob(body: JsonObject, context: OperationContext): JsonObject {
  const job = context.state.trainingJobs.get(readJobName(body));
  if (!job) throw trainingJobNotFound();
  return trainingJobDescription(job);
}

function stopTrainingJob(body: JsonObject, context: OperationContext): JsonObject {
  const store = context.state.trainingJobs;
  const job = store.get(readJobName(body));
  if (!job) throw trainingJobNotFound();
  if (job.status !== 'InProgress') {
    throw validationError(`The request was rejected because the training job is in status ${job.status}.`);
  }
  store.requestStop(job, context.now);
  return {};
}

function jobArn(body: JsonObject, context: OperationContext): string | undefined {
  return typeof body.TrainingJobName === 'string'
    ? context.state.arns.trainingJob(body.TrainingJobName)
    : undefined;
}

export const trainingJobOperations: Record<string, JsonOperation> = {
  ListTrainingJobs: { handler: listTrainingJobs },
  DescribeTrainingJob: { handler: describeTrainingJob, resourceArn: jobArn },
  StopTrainingJob: { handler: stopTrainingJob, resourceArn: jobArn },
};
