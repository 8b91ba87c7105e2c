import type { MaskGenerator } from './websocketMask';

/** Where a batch goes: the WebSocket's own (TCP or TLS) socket. */
export interface FrameBatchSocket {
  write(data: Buffer): boolean;
  cork(): void;
  uncork(): void;
}

const OPCODE_BINARY_FINAL = 0x82;
const MASKED = 0x80;
const MAX_HEADER_BYTES = 14;
const SLAB_BYTES = 64 * 1024;
/** Frames at least this large leave as their own buffer (unmasked: uncopied) rather than via the slab. */
const LARGE_FRAME_BYTES = 8 * 1024;

/**
 * Client binary frames (RFC 6455 §5.2) written into shared slabs and handed to the socket in one
 * write per flush. The client answers every 1 KiB the agent sends with an acknowledgement; sent
 * one by one through `ws`, each cost a header buffer, a masking pass and two queued writes.
 * A slab is never written over once handed to the socket (the socket may still hold it): the next
 * frames go after it, and a new slab is taken when one is full.
 */
export class WebSocketFrameBatch {
  private slab = Buffer.allocUnsafe(SLAB_BYTES);
  /** Where the unflushed frames start in `slab`. */
  private start = 0;
  private end = 0;
  /** Large frames queued after the slab's bytes, in order: [slab bytes, header, payload, …]. */
  private queued: Buffer[] = [];
  private queuedBytes = 0;
  private readonly mask = Buffer.alloc(4);

  constructor(private readonly generateMask: MaskGenerator) {}

  /** Bytes appended and not yet flushed. */
  get pendingBytes(): number {
    return this.end - this.start + this.queuedBytes;
  }

  /** Appends one binary frame carrying `payload`. */
  append(payload: Buffer): void {
    this.generateMask(this.mask);
    const unmasked = (this.mask[0]! | this.mask[1]! | this.mask[2]! | this.mask[3]!) === 0;
    if (payload.length >= LARGE_FRAME_BYTES) {
      this.appendLarge(payload, unmasked);
      return;
    }
    this.reserve(MAX_HEADER_BYTES + payload.length);
    this.end = this.writeHeader(this.slab, this.end, payload.length);
    if (unmasked) payload.copy(this.slab, this.end);
    else maskInto(payload, this.mask, this.slab, this.end);
    this.end += payload.length;
  }

  /** Hands everything appended to `socket` in order, as one write where the frames allow. */
  flush(socket: FrameBatchSocket): void {
    const pieces = this.take();
    if (pieces.length === 1) {
      socket.write(pieces[0]!);
      return;
    }
    socket.cork();
    for (const piece of pieces) socket.write(piece);
    socket.uncork();
  }

  /** Drops what was appended and not flushed (the connection is gone). */
  clear(): void {
    this.take();
  }

  private take(): Buffer[] {
    this.sealSlabBytes();
    const pieces = this.queued;
    this.queued = [];
    this.queuedBytes = 0;
    return pieces;
  }

  private appendLarge(payload: Buffer, unmasked: boolean): void {
    this.sealSlabBytes();
    const header = Buffer.allocUnsafe(MAX_HEADER_BYTES);
    const headerBytes = this.writeHeader(header, 0, payload.length);
    let body = payload;
    if (!unmasked) {
      body = Buffer.allocUnsafe(payload.length);
      maskInto(payload, this.mask, body, 0);
    }
    this.queued.push(header.subarray(0, headerBytes), body);
    this.queuedBytes += headerBytes + body.length;
  }

  /** Moves the slab's unflushed bytes to the queue, so what follows is ordered after them. */
  private sealSlabBytes(): void {
    if (this.end === this.start) return;
    const bytes = this.slab.subarray(this.start, this.end);
    this.queued.push(bytes);
    this.queuedBytes += bytes.length;
    this.start = this.end;
  }

  private reserve(bytes: number): void {
    if (this.end + bytes <= this.slab.length) return;
    this.sealSlabBytes();
    this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, bytes));
    this.start = 0;
    this.end = 0;
  }

  private writeHeader(target: Buffer, offset: number, length: number): number {
    let at = offset;
    target[at++] = OPCODE_BINARY_FINAL;
    if (length < 126) {
      target[at++] = MASKED | length;
    } else if (length < 0x10000) {
      target[at++] = MASKED | 126;
      target.writeUInt16BE(length, at);
      at += 2;
    } else {
      target[at++] = MASKED | 127;
      target.writeUInt32BE(Math.floor(length / 2 ** 32), at);
      target.writeUInt32BE(length >>> 0, at + 4);
      at += 8;
    }
    this.mask.copy(target, at);
    return at + 4;
  }
}

function maskInto(source: Buffer, mask: Buffer, target: Buffer, offset: number): void {
  for (let i = 0; i < source.length; i += 1) target[offset + i] = source[i]! ^ mask[i & 3]!;
}
