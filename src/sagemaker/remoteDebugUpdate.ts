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

/** The job runs, but remote debug is off: nothing answers its Session Manager targets. */
export class RemoteDebugOffError extends UserFacingError {
  readonly code = 'RemoteDebugOff';
  constructor(jobName: string, surface: 'extension' | 'cli' | undefined) {
    super(
      `Remote debug is off for training job "${jobName}", so SageMaker runs no SSM agent in its containers. ` +
        (surface === 'cli'
          ? `Enable it with: aws sagemaker update-training-job --training-job-name ${jobName} --remote-debug-config EnableRemoteDebug=true`
          : 'Right-click the job and run Enable Remote Debug') +
        ' (needs sagemaker:UpdateTrainingJob; allowed while the job is Downloading or Training), or create the job with ' +
        'RemoteDebugConfig.EnableRemoteDebug.',
    );
  }
}

/** The job is not running: its containers (and SageMaker's agent in them) are gone or not there yet. */
export class RemoteDebugJobNotRunningError extends UserFacingError {
  readonly code = 'RemoteDebugJobNotRunning';
  constructor(jobName: string, status: string) {
    super(`Training job "${jobName}" is ${status}: only a running job's containers can be reached.`);
  }
}

/**
 * Why StartSession found no agent behind `sagemaker-training-job:<job>_algo-<N>`, from the job's
 * description: a built-in algorithm, remote debug off, or a job that is not running. Undefined when
 * the description explains nothing (the node number is out of range, or the agent is still starting).
 */
export async function explainRemoteDebugTarget(
  sagemaker: SageMakerClient,
  jobName: string,
  surface: 'extension' | 'cli' | undefined,
): Promise<UserFacingError | undefined> {
  const { DescribeTrainingJobCommand } = await import('@aws-sdk/client-sagemaker');
  let job;
  try {
    job = await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: jobName }));
  } catch {
    return undefined;
  }
  const algorithm = job.AlgorithmSpecification?.AlgorithmName;
  if (algorithm) return new RemoteDebugUnavailableError(jobName, algorithm);
  if (job.TrainingJobStatus !== 'InProgress') {
    return new RemoteDebugJobNotRunningError(jobName, job.TrainingJobStatus ?? 'not running');
  }
  if (job.RemoteDebugConfig?.EnableRemoteDebug !== true) return new RemoteDebugOffError(jobName, surface);
  return undefined;
}
