/** What the tree and Connect need to know about a training job. */
export interface TrainingJob {
  readonly name: string;
  readonly arn: string;
  /** InProgress, Completed, Failed, Stopping or Stopped. */
  readonly status: string;
  readonly secondaryStatus?: string;
  readonly creationTime?: Date;
  readonly trainingStartTime?: Date;
  readonly trainingEndTime?: Date;
  readonly lastModifiedTime?: Date;
  readonly failureReason?: string;
  readonly instanceType?: string;
  readonly instanceCount?: number;
  /** RemoteDebugConfig.EnableRemoteDebug: SageMaker's own SSM agent runs in each node. */
  readonly remoteDebug?: boolean;
  /** AlgorithmSpecification.AlgorithmName: a built-in algorithm, where remote debug is not available. */
  readonly algorithmName?: string;
}

const pendingStatuses = new Set(['InProgress', 'Stopping']);

/** A job whose state can still change on its own, so an open view keeps polling it. */
export function isPendingJob(job: TrainingJob): boolean {
  return pendingStatuses.has(job.status);
}

export const trainingJobStatuses = ['InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped'] as const;
