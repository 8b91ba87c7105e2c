import type { SmuxFrame } from './smuxFrame';
import { SMUX_HEADER_SIZE } from './smuxFrame';

/**
 * Re-frames the smux byte stream, which the data channel splits and merges arbitrarily across
 * messages. Feed chunks in order; complete frames come out in order.
 */
export class SmuxFrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): SmuxFrame[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: SmuxFrame[] = [];
    while (this.buffered >= SMUX_HEADER_SIZE) {
      const header = this.peek(SMUX_HEADER_SIZE);
      const length = header.readUInt16LE(2);
      if (this.buffered < SMUX_HEADER_SIZE + length) break;
      const frame = this.take(SMUX_HEADER_SIZE + length);
      frames.push({
        version: frame.readUInt8(0),
        command: frame.readUInt8(1),
        streamId: frame.readUInt32LE(4),
        data: frame.subarray(SMUX_HEADER_SIZE),
      });
    }
    return frames;
  }

  get bufferedBytes(): number {
    return this.buffered;
  }

  private peek(size: number): Buffer {
    if (this.chunks[0].length < size) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  private take(size: number): Buffer {
    const first = this.chunks[0];
    let result: Buffer;
    if (first.length >= size) {
      result = first.subarray(0, size);
      if (first.length === size) this.chunks.shift();
      else this.chunks[0] = first.subarray(size);
    } else {
      const parts: Buffer[] = [];
      let needed = size;
      while (needed > 0) {
        const head = this.chunks[0];
        if (head.length <= needed) {
          parts.push(head);
          this.chunks.shift();
          needed -= head.length;
        } else {
          parts.push(head.subarray(0, needed));
          this.chunks[0] = head.subarray(needed);
          needed = 0;
        }
      }
      result = Buffer.concat(parts, size);
    }
    this.buffered -= size;
    return result;
  }
}
