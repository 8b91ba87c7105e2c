// Fake agent's bridges (agentSmuxServer, basicTargetBridge): exact byte counts off a target socket.
import type { Socket } from 'node:net';

/** Accumulates chunks and hands out exact byte counts without re-copying on every push. */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** The first `size` bytes without consuming them (size must be <= length). */
  peek(size: number): Buffer {
    if (this.chunks[0].length < size) this.chunks = [Buffer.concat(this.chunks, this.total)];
    return this.chunks[0].subarray(0, size);
  }

  take(size: number): Buffer {
    if (this.chunks[0].length < size) this.chunks = [Buffer.concat(this.chunks, this.total)];
    const head = this.chunks[0];
    const result = head.subarray(0, size);
    if (head.length === size) this.chunks.shift();
    else this.chunks[0] = head.subarray(size);
    this.total -= size;
    return result;
  }
}

const corked = new WeakSet<Socket>();

/** Writes in one burst leave as one system call (the fake delivers one small message at a time). */
export function corkedWrite(socket: Socket, data: Buffer): boolean {
  if (!corked.has(socket)) {
    corked.add(socket);
    socket.cork();
    process.nextTick(() => {
      corked.delete(socket);
      socket.uncork();
    });
  }
  return socket.write(data);
}
