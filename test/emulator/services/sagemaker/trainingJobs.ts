import { validationError } from '../../errors';
import type { JsonObject, JsonOperation, OperationContext } from '../../operations';
import { JsonInput } from '../../protocols/jsonInput';
import { NAME_PATTERN, trainingJobNotFound } from './common';
import { trainingJobDescription } from './shapes';

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

/** Secondary statuses in which UpdateTrainingJob may change RemoteDebugConfig. */
const REMOTE_DEBUG_UPDATE_STATUSES = new Set(['Downloading', 'Training']);

/**
 * UpdateTrainingJob: RemoteDebugConfig (and the profiler and keep-alive members, accepted and
 * ignored). Remote debug changes only while SecondaryStatus is Downloading or Training, and never for
 * a built-in algorithm. The error texts are the emulator's wording of those documented rules.
 */
function updateTrainingJob(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const name = input.string('TrainingJobName', { required: true, min: 1, max: 63, pattern: NAME_PATTERN })!;
  const remoteDebug = input.object('RemoteDebugConfig');
  const enable = remoteDebug?.boolean('EnableRemoteDebug');
  remoteDebug?.finish();
  for (const ignored of ['ProfilerConfig', 'ProfilerRuleConfigurations', 'ResourceConfig'])
    input.raw(ignored);
  input.finish();
  const store = context.state.trainingJobs;
  const job = store.get(name);
  if (!job) throw trainingJobNotFound();
  if (remoteDebug && enable !== undefined) {
    if (job.algorithmName !== undefined) {
      throw validationError(
        `Remote debugging is not supported for training jobs that use a built-in algorithm (${job.algorithmName}).`,
      );
    }
    if (job.status !== 'InProgress' || !REMOTE_DEBUG_UPDATE_STATUSES.has(job.secondaryStatus)) {
      throw validationError(
        `RemoteDebugConfig can be updated only when the training job's secondary status is Downloading or ` +
          `Training; the job ${job.name} is ${job.status} (${job.secondaryStatus}).`,
      );
    }
    store.update(job, (record) => {
      record.remoteDebugEnabled = enable;
      record.lastModifiedTime = context.now;
    });
  }
  return { TrainingJobArn: job.arn };
}

function jobArn(body: JsonObject, context: OperationContext): string | undefined {
  return typeof body.TrainingJobName === 'string'
    ? context.state.arns.trainingJob(body.TrainingJobName)
    : undefined;
}

export const trainingJobOperations: Record<string, JsonOperation> = {
  DescribeTrainingJob: { handler: describeTrainingJob, resourceArn: jobArn },
  StopTrainingJob: { handler: stopTrainingJob, resourceArn: jobArn },
  UpdateTrainingJob: { handler: updateTrainingJob, resourceArn: jobArn },
};
