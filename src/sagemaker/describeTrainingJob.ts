import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { isAwsError } from '../util/errors';
import { abortable } from '../util/sleep';
import type { CancellationSignal } from '../util/sleep';

/** SageMaker's answer for a job name it does not know (ResourceNotFound, or a ValidationException saying so). */
function isJobNotFound(error: unknown): boolean {
  return (
    isAwsError(error, 'ResourceNotFound') ||
    (isAwsError(error, 'ValidationException') && /not found/i.test(error.message))
  );
}

/** A training job's status (InProgress, Completed…), or undefined when SageMaker has no such job. */
export async function trainingJobStatus(
  sagemaker: SageMakerClient,
  jobName: string,
  signal?: CancellationSignal,
): Promise<string | undefined> {
  const { DescribeTrainingJobCommand } = await import('@aws-sdk/client-sagemaker');
  try {
    const job = await sagemaker.send(
      new DescribeTrainingJobCommand({ TrainingJobName: jobName }),
      abortable(signal),
    );
    return job.TrainingJobStatus ?? 'Unknown';
  } catch (error) {
    if (isJobNotFound(error)) {
      return undefined;
    }
    throw error;
  }
}
