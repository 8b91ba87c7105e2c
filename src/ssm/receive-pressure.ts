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
 * Tracks local writers that have too much unwritten data. While any is congested the session stops
 * acknowledging received data (the agent then retransmits later), which bounds our memory.
 */
export class ReceivePressure {
  private readonly congested = new Set<Writable>();

  constructor(
    private readonly onRelieved: () => void,
    private readonly limitBytes: number = 1024 * 1024,
  ) {}

  get isCongested(): boolean {
    return this.congested.size > 0;
  }

  /** Writes `chunk` to `writer` and starts watching it if it is now over the limit. */
  write(writer: Writable, chunk: Buffer): void {
    corkUntilNextTick(writer);
    writer.write(chunk);
    if (writer.writableLength < this.limitBytes || this.congested.has(writer)) return;
    this.congested.add(writer);
    const relieve = (): void => {
      writer.off('drain', relieve);
      writer.off('close', relieve);
      if (this.congested.delete(writer) && this.congested.size === 0) this.onRelieved();
    };
    writer.on('drain', relieve);
    writer.on('close', relieve);
  }
}
