import type { CancellationSignal } from '../util/sleep';
import { sleep as realSleep, wasAborted } from '../util/sleep';
import type { TrainingLogEvent } from './formatLogLine';
import { streamPrefixOf, trainingJobsLogGroup } from './trainingLogStreams';

export interface FilterEventsRequest {
  readonly logGroupName: string;
  readonly logStreamNamePrefix: string;
  readonly startTime?: number;
  readonly nextToken?: string;
}

export interface FilterEventsPage {
  readonly events: readonly TrainingLogEvent[];
  readonly nextToken?: string;
}

/** The one CloudWatch Logs call the loop makes (FilterLogEvents); injected so tests can drive it. */
export interface LogEventsSource {
  /** `signal` aborts the call in flight when cancelled. */
  filterEvents(request: FilterEventsRequest, signal?: CancellationSignal): Promise<FilterEventsPage>;
}

export interface FollowLogsOptions {
  readonly source: LogEventsSource;
  readonly jobName: string;
  /** `algo-<n>`; undefined follows every node of the job. */
  readonly node?: string;
  /** Keep polling until the job has ended (else print what is there and return). */
  readonly follow: boolean;
  /** True once the job has reached a terminal status; asked only while the streams are idle. */
  readonly jobEnded: () => Promise<boolean>;
  readonly onEvent: (event: TrainingLogEvent) => void;
  readonly signal?: CancellationSignal;
  readonly sleep?: (ms: number, signal?: CancellationSignal) => Promise<void>;
  /** Poll interval right after new events (default 1 s); doubles while idle up to `maxDelayMs` (10 s). */
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  /** How far before the newest line each poll looks again for late-ingested lines (default 10 s). */
  readonly lookbackMs?: number;
}

export type FollowEnd = 'drained' | 'jobEnded' | 'cancelled';

/**
 * Where the next poll starts: `lookbackMs` before the newest timestamp seen, because CloudWatch
 * ingests each node's stream with its own delay and a line stamped earlier can arrive after a later
 * one of another node. The ids of the events seen inside that window keep them from printing twice
 * (FilterLogEvents' startTime is inclusive). A line ingested more than `lookbackMs` late is missed.
 */
export class LogCursor {
  private newest?: number;
  private windowStart?: number;
  private readonly seen = new Map<string, number>();

  constructor(private readonly lookbackMs = 10_000) {}

  /** The startTime of the next query (undefined: from the beginning). */
  get start(): number | undefined {
    return this.windowStart;
  }

  /** True when the event is new (and records it). */
  admit(event: TrainingLogEvent): boolean {
    if (this.seen.has(event.eventId)) return false;
    if (this.windowStart !== undefined && event.timestamp < this.windowStart) return false;
    this.seen.set(event.eventId, event.timestamp);
    if (this.newest === undefined || event.timestamp > this.newest) this.newest = event.timestamp;
    return true;
  }

  /** After a complete read: moves the window and forgets the ids that fell out of it. */
  commit(): void {
    if (this.newest === undefined) return;
    // newest is a running maximum, so the window only ever moves forward.
    this.windowStart = Math.max(0, this.newest - this.lookbackMs);
    for (const [id, timestamp] of this.seen) {
      if (timestamp < this.windowStart) this.seen.delete(id);
    }
  }
}

/** Reads every page after the cursor; returns how many new events were delivered. */
async function drain(options: FollowLogsOptions, cursor: LogCursor): Promise<number> {
  let delivered = 0;
  let nextToken: string | undefined;
  const startTime = cursor.start;
  do {
    const page = await options.source.filterEvents(
      {
        logGroupName: trainingJobsLogGroup,
        logStreamNamePrefix: streamPrefixOf(options.jobName, options.node),
        startTime,
        nextToken,
      },
      options.signal,
    );
    for (const event of page.events) {
      if (cursor.admit(event)) {
        options.onEvent(event);
        delivered++;
      }
    }
    nextToken = page.nextToken;
  } while (nextToken && !options.signal?.cancelled);
  cursor.commit();
  return delivered;
}

/**
 * Prints a training job's log events in time order and, with `follow`, keeps polling while the job
 * runs: quickly after new lines, backing off while idle. Ends once the job has ended and a poll
 * after that found nothing new (so lines written just before the end are not lost). Cancelling the
 * signal aborts the call in flight and ends with 'cancelled'.
 */
export async function followLogs(options: FollowLogsOptions): Promise<FollowEnd> {
  try {
    return await poll(options);
  } catch (error) {
    if (wasAborted(error, options.signal)) return 'cancelled';
    throw error;
  }
}

async function poll(options: FollowLogsOptions): Promise<FollowEnd> {
  const sleep = options.sleep ?? realSleep;
  const minDelay = options.minDelayMs ?? 1_000;
  const maxDelay = options.maxDelayMs ?? 10_000;
  const cursor = new LogCursor(options.lookbackMs);
  let delay = minDelay;
  let endedSeen = false;
  for (;;) {
    if (options.signal?.cancelled) return 'cancelled';
    const delivered = await drain(options, cursor);
    if (!options.follow) return 'drained';
    if (options.signal?.cancelled) return 'cancelled';
    if (delivered > 0) {
      delay = minDelay;
    } else {
      if (endedSeen) return 'jobEnded';
      endedSeen = await options.jobEnded();
      delay = endedSeen ? minDelay : Math.min(delay * 2, maxDelay);
    }
    await sleep(delay, options.signal);
  }
}
