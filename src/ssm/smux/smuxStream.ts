import { EventEmitter } from 'node:events';

interface SmuxStreamEvents {
  data: [chunk: Buffer];
  /** The peer sent FIN, or the session ended; no more data will arrive. */
  close: [];
}

/** Writes of one stream go through its session, which frames them. */
export interface SmuxStreamOwner {
  writeStream(streamId: number, data: Buffer): boolean;
  closeStream(streamId: number): void;
}

/**
 * One smux v1 stream. v1 has no half-close: `close()` sends FIN and ends both directions, and a
 * FIN from the peer ends both directions here too.
 */
export class SmuxStream extends EventEmitter<SmuxStreamEvents> {
  private closed = false;

  constructor(
    readonly id: number,
    private readonly owner: SmuxStreamOwner,
  ) {
    super();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Returns false when the underlying session wants the writer to wait for its `drain`. */
  write(data: Buffer): boolean {
    if (this.closed) return true;
    return this.owner.writeStream(this.id, data);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.owner.closeStream(this.id);
    this.emit('close');
  }

  /** @internal */
  receive(chunk: Buffer): void {
    if (!this.closed) this.emit('data', chunk);
  }

  /** @internal */
  remoteClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }
}
