import type { SecondaryStatus, TrainingJobStatus } from './types';
import type { SecondaryStatusTransition } from '../stores/trainingJobs';

/** The secondary status a job shows when a scenario names only its primary status. */
export function defaultSecondaryStatus(status: TrainingJobStatus): SecondaryStatus {
  switch (status) {
    case 'InProgress':
      return 'Training';
    case 'Stopping':
      return 'Stopping';
    case 'Stopped':
      return 'Stopped';
    case 'Failed':
      return 'Failed';
    case 'Completed':
    case 'Deleting':
      return 'Completed';
  }
}

const MESSAGES: Partial<Record<SecondaryStatus, string>> = {
  Starting: 'Preparing the instances for training',
  LaunchingMLInstances: 'Launching requested ML instances',
  PreparingTrainingStack: 'Preparing the training stack',
  Downloading: 'Downloading the input data',
  DownloadingTrainingImage: 'Downloading the training image',
  Training: 'Training image downloaded; training in progress',
  Uploading: 'Uploading the model artifacts',
  Completed: 'The training job completed',
  Failed: 'The training job failed',
  Stopping: 'Stopping the training job',
  Stopped: 'The training job was stopped',
  MaxRuntimeExceeded: 'The job exceeded its maximum runtime',
  Interrupted: 'The job was interrupted',
};

/** Secondary statuses that happen before the algorithm starts (no TrainingStartTime yet). */
const BEFORE_TRAINING: readonly SecondaryStatus[] = [
  'Pending',
  'Starting',
  'LaunchingMLInstances',
  'PreparingTrainingStack',
  'Downloading',
  'DownloadingTrainingImage',
];

export function reachedTraining(secondary: SecondaryStatus): boolean {
  return !BEFORE_TRAINING.includes(secondary);
}

/** The chain of secondary statuses a job went through to reach `target`. */
function chainTo(target: SecondaryStatus): SecondaryStatus[] {
  const happyPath: SecondaryStatus[] = ['Starting', 'Downloading', 'Training', 'Uploading', 'Completed'];
  const index = happyPath.indexOf(target);
  if (index >= 0) return happyPath.slice(0, index + 1);
  if (target === 'Stopped') return ['Starting', 'Downloading', 'Training', 'Stopping', 'Stopped'];
  if (BEFORE_TRAINING.includes(target)) return ['Starting', target];
  return ['Starting', 'Downloading', 'Training', target];
}

export interface TimelineInput {
  readonly secondaryStatus: SecondaryStatus;
  readonly creationTime: Date;
  readonly trainingStartTime?: Date;
  /** Set for jobs that ended; the last transition then ends at this time. */
  readonly trainingEndTime?: Date;
  readonly now: Date;
}

/**
 * A plausible SecondaryStatusTransitions list: phases before training spread between creation and
 * the training start, training until shortly before the end, then the terminal phases.
 */
export function buildTimeline(input: TimelineInput): SecondaryStatusTransition[] {
  const chain = chainTo(input.secondaryStatus);
  const created = input.creationTime.getTime();
  const end = (input.trainingEndTime ?? input.now).getTime();
  const start = clamp(input.trainingStartTime?.getTime() ?? created + 4 * 60_000, created, end);
  const trainingIndex = chain.indexOf('Training');
  const times = chain.map((_status, index) => {
    if (trainingIndex === -1 || index < trainingIndex) {
      const span = (trainingIndex === -1 ? end : start) - created;
      const steps = trainingIndex === -1 ? chain.length : trainingIndex;
      return created + Math.floor((span * index) / Math.max(steps, 1));
    }
    if (index === trainingIndex) return start;
    // Phases after training share the last stretch before the end (or now).
    const tail = chain.length - 1 - trainingIndex;
    const tailSpan = Math.min(2 * 60_000 * tail, Math.max(0, end - start));
    return end - Math.floor((tailSpan * (chain.length - 1 - index)) / Math.max(tail, 1));
  });
  return chain.map((status, index) => {
    const isLast = index === chain.length - 1;
    const endTime = isLast ? (input.trainingEndTime ? times[index]! : undefined) : times[index + 1]!;
    return {
      status,
      startTime: new Date(times[index]!),
      endTime: endTime === undefined ? undefined : new Date(endTime),
      statusMessage: MESSAGES[status],
    };
  });
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), Math.max(low, high));
}
