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
 * session's 4 MiB receive buffer behind it, 8 MiB in flight (512 messages of 16 KiB) fits; at 1 MiB,
 * most of a fast download went through the receive buffer (a copy and a second delivery), ~30 % of
 * the proxy's CPU.
 */
const DEFAULT_LIMIT_BYTES = 4 * 1024 * 1024;

/** The callbacks that relieve one writer, made once so listeners can be removed and reused. */
interface WriterWatch {
  /** Write callback: relieves the writer once it is below half the limit. */
  relieveBelowLowWater: () => void;
  /** 'close' listener while the writer is congested. */
  relieveOnClose: () => void;
}

/**
 * Tracks local writers that have too much unwritten data. While any is congested the session holds
 * received data in its bounded receive buffer (and stops acknowledging once that is full), which
 * bounds our memory. A writer is relieved once it is down to half the limit, not when it is empty
 * (Node's 'drain'), so the consumer always has data queued while we refill it.
 */
export class ReceivePressure {
  private readonly congested = new Set<Writable>();
  private readonly watches = new WeakMap<Writable, WriterWatch>();
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
    else writer.write(chunk, this.watchOf(writer).relieveBelowLowWater);
    if (writer.writableLength < this.limitBytes || this.congested.has(writer)) return;
    this.congested.add(writer);
    writer.once('close', this.watchOf(writer).relieveOnClose);
  }

  private watchOf(writer: Writable): WriterWatch {
    let watch = this.watches.get(writer);
    if (!watch) {
      watch = {
        relieveBelowLowWater: () => {
          if (writer.writableLength < this.lowWaterBytes) this.relieve(writer);
        },
        relieveOnClose: () => this.relieve(writer),
      };
      this.watches.set(writer, watch);
    }
    return watch;
  }

  private relieve(writer: Writable): void {
    if (!this.congested.delete(writer)) return;
    writer.off('close', this.watchOf(writer).relieveOnClose);
    if (this.congested.size === 0) this.onRelieved();
  }
}
