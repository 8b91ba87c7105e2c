import type { EventEmitter } from 'node:events';
import { reachedTraining } from '../../scenario/jobTimeline';
import type { EmulatorState } from '../../state';
import type { TrainingJobRecord } from '../../stores/trainingJobs';
import type { LogStore } from './store';

/** Where SageMaker writes every training job's container output. */
export const TRAINING_JOBS_LOG_GROUP = '/aws/sagemaker/TrainingJobs';

/** `<job>/algo-<n>-<epoch seconds>`, SageMaker's stream name for node n of a job. */
export function trainingStreamName(job: TrainingJobRecord, node: number): string {
  const started = job.trainingStartTime ?? job.creationTime;
  return `${job.name}/algo-${node}-${Math.floor(started.getTime() / 1000)}`;
}

/**
 * The scenario timeline as log lines: every job that reached training gets one stream per
 * instance with a line for each secondary status it went through, at that status's time.
 */
export function seedTrainingJobLogs(state: EmulatorState, store: LogStore): void {
  store.createGroup(TRAINING_JOBS_LOG_GROUP);
  for (const job of state.trainingJobs.all()) {
    if (!reachedTraining(job.secondaryStatus)) continue;
    const events = job.transitions.map((transition) => ({
      timestamp: transition.startTime.getTime(),
      message: `[${transition.status}] ${transition.statusMessage ?? transition.status}`,
    }));
    for (let node = 1; node <= job.instanceCount; node++) {
      store.append(TRAINING_JOBS_LOG_GROUP, trainingStreamName(job, node), events);
    }
  }
}

/** The part of a simulated container this needs: its log so far and its `log` events. */
export interface LoggingContainer extends EventEmitter {
  log(): string;
}

/** Copies a training container's output (so far, then live) into its job's log stream. */
export function pipeContainerLog(
  store: LogStore,
  job: TrainingJobRecord,
  node: number,
  container: LoggingContainer,
): void {
  const stream = trainingStreamName(job, node);
  store.appendText(TRAINING_JOBS_LOG_GROUP, stream, container.log());
  container.on('log', (text: string) => store.appendText(TRAINING_JOBS_LOG_GROUP, stream, text));
}
