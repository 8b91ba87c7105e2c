import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { UserFacingError, isAwsError } from '../util/errors';

/** UpdateTrainingJob refused: remote debug changes only while SecondaryStatus is Downloading or Training. */
export class RemoteDebugNotNowError extends UserFacingError {
  readonly code = 'RemoteDebugNotNow';
  constructor(jobName: string, serviceMessage: string, cause?: unknown) {
    super(
      `Remote debug cannot be enabled on training job "${jobName}" now: SageMaker allows it only while the ` +
        `job's secondary status is Downloading or Training. SageMaker said: ${serviceMessage}`,
      { cause },
    );
  }
}

/** Remote debug is not available for built-in algorithms (nor Marketplace containers). */
export class RemoteDebugUnavailableError extends UserFacingError {
  readonly code = 'RemoteDebugUnavailable';
  constructor(jobName: string, algorithmName: string) {
    super(
      `Remote debug is not available for training job "${jobName}": it runs the built-in algorithm ` +
        `${algorithmName}, and SageMaker offers remote debug only for your own (or framework) containers.`,
    );
  }
}

/**
 * UpdateTrainingJob with RemoteDebugConfig.EnableRemoteDebug = true. Needs `sagemaker:UpdateTrainingJob`;
 * the job's role needs the four `ssmmessages:*` actions for SageMaker's agent to come online.
 */
export async function enableRemoteDebug(
  sagemaker: SageMakerClient,
  job: { readonly name: string; readonly algorithmName?: string },
): Promise<void> {
  if (job.algorithmName !== undefined) throw new RemoteDebugUnavailableError(job.name, job.algorithmName);
  const { UpdateTrainingJobCommand } = await import('@aws-sdk/client-sagemaker');
  try {
    await sagemaker.send(
      new UpdateTrainingJobCommand({
        TrainingJobName: job.name,
        RemoteDebugConfig: { EnableRemoteDebug: true },
      }),
    );
  } catch (error) {
    if (isAwsError(error, 'ValidationException') && /built-in algorithm/i.test(error.message)) {
      throw new RemoteDebugUnavailableError(job.name, 'of the job');
    }
    if (isAwsError(error, 'ValidationException') && /status|Downloading|Training/i.test(error.message)) {
      throw new RemoteDebugNotNowError(job.name, error.message, error);
    }
    throw error;
  }
}
