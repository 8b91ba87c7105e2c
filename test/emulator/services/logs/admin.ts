import type { EmulatorState } from '../../state';
import type { LogStore, NewLogEvent } from './store';
import { TRAINING_JOBS_LOG_GROUP, trainingStreamName } from './trainingLogs';

/** What `POST /_emulator/logs/events` takes (see README.md in this folder). */
interface AppendRequest {
  readonly logGroupName?: unknown;
  readonly logStreamName?: unknown;
  readonly trainingJob?: unknown;
  readonly node?: unknown;
  readonly events?: unknown;
  readonly text?: unknown;
}

export class LogsAdminError extends Error {}

function streamOf(state: EmulatorState, request: AppendRequest): string {
  if (typeof request.logStreamName === 'string' && request.logStreamName) return request.logStreamName;
  if (typeof request.trainingJob === 'string') {
    const job = state.trainingJobs.get(request.trainingJob);
    if (!job) throw new LogsAdminError(`No training job ${request.trainingJob}`);
    const node = request.node === undefined ? 1 : request.node;
    if (typeof node !== 'number' || !Number.isInteger(node) || node < 1) {
      throw new LogsAdminError('"node" must be an integer >= 1');
    }
    return trainingStreamName(job, node);
  }
  throw new LogsAdminError('Body must name "logStreamName" or "trainingJob" (with an optional "node")');
}

function eventsOf(request: AppendRequest, now: number): NewLogEvent[] {
  if (!Array.isArray(request.events)) throw new LogsAdminError('"events" must be an array');
  return request.events.map((event: { timestamp?: unknown; message?: unknown }) => {
    if (typeof event?.message !== 'string') throw new LogsAdminError('Every event needs a "message" string');
    return { timestamp: typeof event.timestamp === 'number' ? event.timestamp : now, message: event.message };
  });
}

/**
 * Appends events (`events: [{message, timestamp?}]`) or output text (`text`, one event per line)
 * to a stream, by name or as a training job's node stream.
 */
export function appendFromAdmin(state: EmulatorState, store: LogStore, body: unknown): unknown {
  const request = (body ?? {}) as AppendRequest;
  const group = typeof request.logGroupName === 'string' ? request.logGroupName : TRAINING_JOBS_LOG_GROUP;
  const stream = streamOf(state, request);
  const added =
    typeof request.text === 'string'
      ? store.appendText(group, stream, request.text)
      : store.append(group, stream, eventsOf(request, state.now().getTime()));
  return { logGroupName: group, logStreamName: stream, appended: added.length };
}
