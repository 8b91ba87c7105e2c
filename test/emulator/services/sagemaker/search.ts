import type { JsonObject, JsonOperation, OperationContext } from '../../operations';
import type { SortKey, SortOrder } from '../../pagination';
import { JsonInput } from '../../protocols/jsonInput';
import type { TrainingJobRecord, TrainingJobStore } from '../../stores/trainingJobs';
import { invalidNextToken, readMaxResults, readNextToken } from './common';
import { evaluate, parseSearchExpression, resolveProperty, type BooleanNode } from './searchExpression';
import { searchTrainingJob } from './shapes';

const RESOURCE_TYPES = [
  'TrainingJob',
  'Experiment',
  'ExperimentTrial',
  'ExperimentTrialComponent',
  'Endpoint',
  'Model',
  'ModelPackage',
  'ModelPackageGroup',
  'Pipeline',
  'PipelineExecution',
  'PipelineVersion',
  'FeatureGroup',
  'FeatureMetadata',
  'Image',
  'ImageVersion',
  'Project',
  'HyperParameterTuningJob',
  'ModelCard',
  'HubContent',
  'Job',
] as const;

interface SearchQuery {
  readonly resource: string;
  readonly expression?: BooleanNode;
  readonly rawExpression: unknown;
  readonly sortBy: string;
  readonly descending: boolean;
}

function readQuery(input: JsonInput): SearchQuery {
  const resource = input.enumOf('Resource', RESOURCE_TYPES, true) ?? 'TrainingJob';
  const expressionInput = input.object('SearchExpression');
  return {
    resource,
    expression: expressionInput ? parseSearchExpression(expressionInput) : undefined,
    rawExpression: input.raw('SearchExpression'),
    sortBy: input.string('SortBy', { min: 1, max: 255 }) ?? 'LastModifiedTime',
    descending:
      (input.enumOf('SortOrder', ['Ascending', 'Descending'] as const) ?? 'Descending') === 'Descending',
  };
}

/** Search documents are rebuilt only for jobs that changed since they were last built. */
const documents = new WeakMap<TrainingJobRecord, { revision: number; document: Record<string, unknown> }>();

function documentOf(job: TrainingJobRecord, store: TrainingJobStore): Record<string, unknown> {
  const revision = store.revisionOf(job);
  const cached = documents.get(job);
  if (cached && cached.revision === revision) return cached.document;
  const document = searchTrainingJob(job);
  documents.set(job, { revision, document });
  return document;
}

function sortOrder(query: SearchQuery, store: TrainingJobStore): SortOrder<TrainingJobRecord> {
  const key = (job: TrainingJobRecord): SortKey => {
    const value = resolveProperty(documentOf(job, store), query.sortBy)[0];
    if (value === undefined) return [0, job.name];
    const comparable =
      value instanceof Date ? value.getTime() : typeof value === 'number' ? value : String(value);
    return [1, comparable, job.name];
  };
  return { key, descending: query.descending };
}

function search(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const query = readQuery(input);
  const limit = readMaxResults(input);
  const nextToken = readNextToken(input);
  input.finish();
  if (query.resource !== 'TrainingJob') {
    // The emulated account has no resources of the other searchable types.
    return { Results: [], TotalHits: { Value: 0, Relation: 'EqualTo' } };
  }
  const store = context.state.trainingJobs;
  const page = context.pagination.page({
    scope: `Search:${JSON.stringify([query.resource, query.rawExpression, query.sortBy, query.descending])}`,
    version: store.version,
    items: () =>
      store.all().filter((job) => !query.expression || evaluate(query.expression, documentOf(job, store))),
    order: sortOrder(query, store),
    nextToken,
    limit,
    invalidToken: invalidNextToken,
  });
  return {
    Results: page.items.map((job) => ({ TrainingJob: documentOf(job, store) })),
    NextToken: page.nextToken,
    TotalHits: { Value: page.total, Relation: 'EqualTo' },
  };
}

export const searchOperations: Record<string, JsonOperation> = {
  Search: { handler: search },
};
