import type { Writable } from 'node:stream';

const corkedWriters = new WeakSet<Writable>();

/** Many small payloads delivered in one burst become one write system call. */
function corkUntilNextTick(writer: Writable): void {
  if (corkedWriters.has(writer)) return;
  corkedWriters.add(writer);
  writer.cork();
  process.nextTick(() => {
    corkedWriters.delete(writer);
    writer.uncork();
  });
}

/**
 * Unwritten bytes in one local writer above which the session stops taking data for it. With the
 * session's 4 MiB receive buffer behind it, a peer's 8 MiB in flight fits; at 1 MiB, most of a fast
 * download went through the receive buffer (a copy and a second delivery), ~30 % of the proxy's CPU.
 */
const DEFAULT_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * Tracks local writers that have too much unwritten data. While any is congested the session holds
 * received data in its bounded receive buffer (and stops acknowledging once that is full), which
 * bounds our memory. A writer is relieved once it is down to half the limit, not when it is empty
 * (Node's 'drain'), so the consumer always has data queued while we refill it.
 */
export class ReceivePressure {
  /** Congested writers, each with the 'close' listener that relieves it. */
  private readonly congested = new Map<Writable, () => void>();
  private readonly lowWaterChecks = new WeakMap<Writable, () => void>();
  private readonly lowWaterBytes: number;

  constructor(
    private readonly onRelieved: () => void,
    private readonly limitBytes: number = DEFAULT_LIMIT_BYTES,
  ) {
    this.lowWaterBytes = Math.floor(limitBytes / 2);
  }

  get isCongested(): boolean {
    return this.congested.size > 0;
  }

  /** Writes `chunk` to `writer` and starts watching it if it is now over the limit. */
  write(writer: Writable, chunk: Buffer): void {
    corkUntilNextTick(writer);
    if (writer.writableLength + chunk.length < this.lowWaterBytes) writer.write(chunk);
    else writer.write(chunk, this.lowWaterCheck(writer));
    if (writer.writableLength < this.limitBytes || this.congested.has(writer)) return;
    const onClose = (): void => this.relieve(writer);
    this.congested.set(writer, onClose);
    writer.once('close', onClose);
  }

  /** The write callback (one per writer) that relieves `writer` once it is below half the limit. */
  private lowWaterCheck(writer: Writable): () => void {
    let check = this.lowWaterChecks.get(writer);
    if (!check) {
      check = (): void => {
        if (writer.writableLength < this.lowWaterBytes) this.relieve(writer);
      };
      this.lowWaterChecks.set(writer, check);
    }
    return check;
  }

  private relieve(writer: Writable): void {
    const onClose = this.congested.get(writer);
    if (!onClose) return;
    writer.off('close', onClose);
    this.congested.delete(writer);
    if (this.congested.size === 0) this.onRelieved();
  }
}
