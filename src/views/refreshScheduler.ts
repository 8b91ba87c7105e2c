export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface RefreshSchedulerOptions {
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly timers?: Timers;
}

/**
 * Polls a view only while it is visible and shows something that can still change on its own,
 * backing off from 5 s to 60 s while that lasts. A manual refresh starts again at 5 s.
 */
export class RefreshScheduler {
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timers: Timers;
  private delayMs: number;
  private handle: unknown;
  private visible = false;
  private pending = false;

  constructor(
    private readonly refresh: () => void,
    options: RefreshSchedulerOptions = {},
  ) {
    this.minDelayMs = options.minDelayMs ?? 5_000;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.timers = options.timers ?? realTimers;
    this.delayMs = this.minDelayMs;
  }

  /** The delay the next automatic refresh will wait, for tests and the log. */
  get nextDelayMs(): number {
    return this.delayMs;
  }

  get scheduled(): boolean {
    return this.handle !== undefined;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.reschedule();
  }

  /** After each load: does the view show anything pending (in progress, stopping, pending)? */
  setPending(pending: boolean): void {
    this.pending = pending;
    if (!pending) {
      this.delayMs = this.minDelayMs;
    }
    this.reschedule();
  }

  /** A manual refresh: the next automatic one waits the shortest delay again. */
  resetBackoff(): void {
    this.delayMs = this.minDelayMs;
    this.cancel();
    this.reschedule();
  }

  dispose(): void {
    this.cancel();
  }

  private reschedule(): void {
    if (!this.visible || !this.pending) {
      this.cancel();
      return;
    }
    if (this.handle !== undefined) {
      return;
    }
    this.handle = this.timers.setTimeout(() => {
      this.handle = undefined;
      this.delayMs = Math.min(this.delayMs * 2, this.maxDelayMs);
      this.refresh();
    }, this.delayMs);
  }

  private cancel(): void {
    if (this.handle !== undefined) {
      this.timers.clearTimeout(this.handle);
      this.handle = undefined;
    }
  }
}
