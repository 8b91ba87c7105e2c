import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { AdviceSurface } from '../aws/awsContext';
import type { CancellationSignal } from '../util/sleep';
import { wasAborted } from '../util/sleep';
import { CloudWatchLogSource, trainingJobEnded } from './cloudWatchSource';
import { NoLogStreamsError } from './logsErrors';
import type { TrainingLogEvent } from './formatLogLine';
import type { FollowEnd } from './followLogs';
import { followLogs } from './followLogs';

export interface TrainingJobLogsRequest {
  readonly logs: CloudWatchLogsClient;
  readonly sagemaker: SageMakerClient;
  readonly region: string;
  /** Whose advice errors get (default: the extension's). */
  readonly surface?: AdviceSurface;
  readonly jobName: string;
  /** `algo-<n>`; undefined: every node. */
  readonly node?: string;
  readonly follow: boolean;
  readonly onEvent: (event: TrainingLogEvent) => void;
  readonly signal?: CancellationSignal;
  /** Poll interval bounds (defaults 1 s and 10 s); tests shorten them. */
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
}

export interface TrainingJobLogsResult {
  readonly end: FollowEnd;
  readonly lines: number;
}

/**
 * Shows a training job's CloudWatch log (what the extension's Show Logs and `sm-ssh logs` share).
 * A job that ended without writing any stream is an error saying so, not silent nothing.
 */
export async function showTrainingJobLogs(request: TrainingJobLogsRequest): Promise<TrainingJobLogsResult> {
  const source = new CloudWatchLogSource(request.logs, request.region, request.surface);
  const jobEnded = (): Promise<boolean> =>
    trainingJobEnded(request.sagemaker, request.jobName, request.signal);
  let endedAtStart: boolean;
  try {
    endedAtStart = await jobEnded();
  } catch (error) {
    if (wasAborted(error, request.signal)) return { end: 'cancelled', lines: 0 };
    throw error;
  }
  let lines = 0;
  const end = await followLogs({
    source,
    jobName: request.jobName,
    node: request.node,
    follow: request.follow && !endedAtStart,
    jobEnded,
    onEvent: (event) => {
      lines++;
      request.onEvent(event);
    },
    signal: request.signal,
    minDelayMs: request.minDelayMs,
    maxDelayMs: request.maxDelayMs,
  });
  if (lines === 0 && end !== 'cancelled' && (endedAtStart || end === 'jobEnded')) {
    const nodes = await source.nodesOf(request.jobName);
    if (nodes.length === 0 || (request.node && !nodes.includes(request.node))) {
      throw new NoLogStreamsError(request.jobName, request.node);
    }
  }
  return { end, lines };
}

export { CloudWatchLogSource } from './cloudWatchSource';
