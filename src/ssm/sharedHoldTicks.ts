import type { Clock, TimerHandle } from './clock';

interface Slot {
  readonly handle: TimerHandle;
  readonly callbacks: Set<() => void>;
}

/**
 * Ends long read holds on a grid shared by every data channel on one clock, so sessions streaming
 * at once (`cp -P 16`) wake the process once per grid step for all of them instead of once per
 * session: each wake-up is a cold start of the receive path, which costs more than its messages.
 */
export class SharedHoldTicks {
  private readonly slots = new Map<number, Slot>();

  constructor(
    private readonly clock: Clock,
    private readonly gridMs: number,
  ) {}

  /**
   * Runs `callback` at the grid point nearest `holdMs` from now (within half a step either way).
   * Returns what cancels it.
   */
  after(holdMs: number, callback: () => void): () => void {
    const now = this.clock.now();
    const index = Math.ceil((now + holdMs - this.gridMs / 2) / this.gridMs);
    let slot = this.slots.get(index);
    if (!slot) {
      const callbacks = new Set<() => void>();
      const handle = this.clock.setTimeout(
        () => {
          this.slots.delete(index);
          for (const run of callbacks) run();
        },
        Math.max(0, index * this.gridMs - now),
      );
      slot = { handle, callbacks };
      this.slots.set(index, slot);
    }
    const own = slot;
    own.callbacks.add(callback);
    return () => {
      own.callbacks.delete(callback);
      if (own.callbacks.size > 0 || this.slots.get(index) !== own) return;
      this.clock.clearTimeout(own.handle);
      this.slots.delete(index);
    };
  }
}

const ticksByClock = new WeakMap<Clock, Map<number, SharedHoldTicks>>();

/** The shared grid of `gridMs` steps on `clock`. */
export function sharedHoldTicks(clock: Clock, gridMs: number): SharedHoldTicks {
  let byGrid = ticksByClock.get(clock);
  if (!byGrid) {
    byGrid = new Map();
    ticksByClock.set(clock, byGrid);
  }
  let ticks = byGrid.get(gridMs);
  if (!ticks) {
    ticks = new SharedHoldTicks(clock, gridMs);
    byGrid.set(gridMs, ticks);
  }
  return ticks;
}
