// Fake agent: read size and pacing as knobs, for bench-tunnel's unpaced rows (AWS's agent always paces).
import type { AgentReliability } from './agentReliability';

export interface PumpSettings {
  /** Bytes per Output message (the real agent reads 1024 at a time). */
  readSize: number;
  /** Sleep 1 ms after every message, like the real agent. */
  pacing: boolean;
}

type QueueItem = { kind: 'bytes'; data: Buffer } | { kind: 'flag'; code: number };

const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;

/**
 * The agent's outgoing byte stream: target (or smux) bytes and flags, in order, cut into Output
 * messages of `readSize` bytes, sent while the reliability layer has room. Producers pause above a
 * high-water mark and resume on `onLow`.
 */
export class AgentOutputPump {
  private readonly queue: QueueItem[] = [];
  private queued = 0;
  private running = false;
  private stopped = false;
  private emptyWaiters: Array<() => void> = [];
  private lowListeners: Array<() => void> = [];

  constructor(
    private readonly reliability: AgentReliability,
    private readonly settings: () => PumpSettings,
  ) {}

  get queuedBytes(): number {
    return this.queued;
  }

  get isCongested(): boolean {
    return this.queued >= HIGH_WATER;
  }

  onLow(listener: () => void): void {
    this.lowListeners.push(listener);
  }

  enqueue(data: Buffer): void {
    if (this.stopped || data.length === 0) return;
    this.queue.push({ kind: 'bytes', data });
    this.queued += data.length;
    this.kick();
  }

  enqueueFlag(code: number): void {
    if (this.stopped) return;
    this.queue.push({ kind: 'flag', code });
    this.kick();
  }

  whenEmpty(): Promise<void> {
    if (this.queue.length === 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.queued = 0;
    this.wakeEmpty();
  }

  /** Call when the reliability window may have opened. */
  kick(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    setImmediate(() => this.run());
  }

  private run(): void {
    const { pacing } = this.settings();
    while (!this.stopped && this.queue.length > 0 && this.reliability.hasWindow) {
      this.sendOne();
      if (pacing) {
        setTimeout(() => this.run(), 1);
        return;
      }
    }
    this.running = false;
    if (this.queue.length === 0) this.wakeEmpty();
    if (this.queued < LOW_WATER) for (const listener of this.lowListeners) listener();
  }

  private sendOne(): void {
    const head = this.queue[0];
    if (head.kind === 'flag') {
      this.queue.shift();
      const payload = Buffer.alloc(4);
      payload.writeUInt32BE(head.code, 0);
      this.reliability.sendStream(10, payload);
      return;
    }
    this.reliability.sendStream(1, this.takeBytes(this.settings().readSize));
  }

  /** Up to `size` bytes from consecutive byte items at the head of the queue. */
  private takeBytes(size: number): Buffer {
    const parts: Buffer[] = [];
    let taken = 0;
    while (taken < size && this.queue.length > 0 && this.queue[0].kind === 'bytes') {
      const item = this.queue[0] as { kind: 'bytes'; data: Buffer };
      const want = size - taken;
      if (item.data.length <= want) {
        parts.push(item.data);
        taken += item.data.length;
        this.queue.shift();
      } else {
        parts.push(item.data.subarray(0, want));
        item.data = item.data.subarray(want);
        taken += want;
      }
    }
    this.queued -= taken;
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, taken);
  }

  private wakeEmpty(): void {
    const waiters = this.emptyWaiters;
    this.emptyWaiters = [];
    for (const wake of waiters) wake();
  }
}
