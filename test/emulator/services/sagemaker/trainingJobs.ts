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

function jobArn(body: JsonObject, context: OperationContext): string | undefined {
  return typeof body.TrainingJobName === 'string'
    ? context.state.arns.trainingJob(body.TrainingJobName)
    : undefined;
}

export const trainingJobOperations: Record<string, JsonOperation> = {
  DescribeTrainingJob: { handler: describeTrainingJob, resourceArn: jobArn },
  StopTrainingJob: { handler: stopTrainingJob, resourceArn: jobArn },
};
