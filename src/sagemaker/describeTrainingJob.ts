import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { errorName } from '../util/errors';

/** SageMaker's answer for a job name it does not know (ResourceNotFound, or a ValidationException saying so). */
function isJobNotFound(error: unknown): boolean {
  const name = errorName(error);
  const message = (error as { message?: string }).message ?? '';
  return name === 'ResourceNotFound' || (name === 'ValidationException' && /not found/i.test(message));
}

/** A training job's status (InProgress, Completed…), or undefined when SageMaker has no such job. */
export async function trainingJobStatus(
  sagemaker: SageMakerClient,
  jobName: string,
): Promise<string | undefined> {
  const { DescribeTrainingJobCommand } = await import('@aws-sdk/client-sagemaker');
  try {
    const job = await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: jobName }));
    return job.TrainingJobStatus ?? 'Unknown';
  } catch (error) {
    if (isJobNotFound(error)) {
      return undefined;
    }
    throw error;
  }
}
