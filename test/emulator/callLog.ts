import { EventEmitter } from 'node:events';

/** One AWS call the emulator answered. */
export interface CallRecord {
  /** Increases by one per call, from 1; survives `clear()` so `since` stays meaningful. */
  readonly seq: number;
  readonly time: string;
  readonly service: string;
  readonly operation: string;
  /** The caller's ARN; undefined when unsigned or when authentication failed. */
  readonly identity?: string;
  readonly accessKeyId?: string;
  readonly requestId: string;
  readonly status: number;
  /** The AWS error code when the call failed. */
  readonly errorCode?: string;
  /** True when the error (or latency) came from an injected fault. */
  readonly faulted: boolean;
  readonly durationMs: number;
}

export interface CallFilter {
  readonly service?: string;
  readonly operation?: string;
  /** Only calls with seq greater than this. */
  readonly since?: number;
  readonly errorsOnly?: boolean;
}

/**
 * Every AWS call, in order. Tests and benchmarks count calls per refresh with `count()`; a process
 * that did not start the emulator reads it through `GET /_emulator/calls`.
 * Emits 'call' with each CallRecord.
 */
export class CallLog extends EventEmitter {
  private records: CallRecord[] = [];
  private nextSeq = 1;

  /** Appends a call; `seq` is assigned here. */
  record(call: Omit<CallRecord, 'seq'>): CallRecord {
    const entry: CallRecord = { seq: this.nextSeq++, ...call };
    this.records.push(entry);
    this.emit('call', entry);
    return entry;
  }

  all(): readonly CallRecord[] {
    return this.records;
  }

  filter(filter: CallFilter = {}): CallRecord[] {
    return this.records.filter(
      (call) =>
        (filter.service === undefined || call.service === filter.service) &&
        (filter.operation === undefined || call.operation === filter.operation) &&
        (filter.since === undefined || call.seq > filter.since) &&
        (!filter.errorsOnly || call.errorCode !== undefined),
    );
  }

  count(filter: CallFilter = {}): number {
    return this.filter(filter).length;
  }

  /** The seq of the latest call (0 if none yet): pass it as `since` to count what follows. */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Forgets recorded calls; returns how many were dropped. */
  clear(): number {
    const dropped = this.records.length;
    this.records = [];
    return dropped;
  }
}
