/** Faults applied to binary stream and ack messages in one direction (percentages 0–100). */
export interface DirectionFaults {
  dropPercent?: number;
  duplicatePercent?: number;
  /** Hold a message back and release it right after the next one. */
  reorderPercent?: number;
  delayPercent?: number;
  /** Upper bound of the random extra delay of a delayed message. */
  delayMs?: number;
}

export interface FaultCounters {
  dropped: number;
  duplicated: number;
  reordered: number;
  delayed: number;
}

const REORDER_HOLD_LIMIT_MS = 20;

/** Applies a direction's faults with a seeded random source; `deliver` does the actual send. */
export class FaultyLink {
  readonly counters: FaultCounters = { dropped: 0, duplicated: 0, reordered: 0, delayed: 0 };
  private held: { frame: Buffer; timer: NodeJS.Timeout } | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly faults: () => DirectionFaults | undefined,
    private readonly random: () => number,
    private readonly deliver: (frame: Buffer) => void,
  ) {}

  pass(frame: Buffer, faultable: boolean): void {
    const faults = faultable ? this.faults() : undefined;
    if (!faults) {
      this.send(frame);
      return;
    }
    if (this.hit(faults.dropPercent)) {
      this.counters.dropped += 1;
      return;
    }
    if (this.hit(faults.reorderPercent) && !this.held) {
      this.counters.reordered += 1;
      const timer = setTimeout(() => this.releaseHeld(), REORDER_HOLD_LIMIT_MS);
      this.held = { frame, timer };
      return;
    }
    const copies = this.hit(faults.duplicatePercent) ? 2 : 1;
    if (copies === 2) this.counters.duplicated += 1;
    if (this.hit(faults.delayPercent) && faults.delayMs) {
      this.counters.delayed += 1;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        for (let i = 0; i < copies; i += 1) this.deliver(frame);
      }, this.random() * faults.delayMs);
      this.timers.add(timer);
    } else {
      for (let i = 0; i < copies; i += 1) this.send(frame);
    }
  }

  dispose(): void {
    if (this.held) clearTimeout(this.held.timer);
    this.held = undefined;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private send(frame: Buffer): void {
    this.deliver(frame);
    this.releaseHeld();
  }

  private releaseHeld(): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    clearTimeout(held.timer);
    this.deliver(held.frame);
  }

  private hit(percent: number | undefined): boolean {
    return percent !== undefined && percent > 0 && this.random() * 100 < percent;
  }
}
