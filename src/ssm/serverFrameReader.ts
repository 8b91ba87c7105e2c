/** What the service's WebSocket frames carry, as the data channel needs them. */
export interface ServerFrameHandlers {
  /** A whole data message (binary or text). A view into the socket's chunk where the frame lay in one. */
  message(data: Buffer): void;
  ping(payload: Buffer): void;
  pong(): void;
  close(code: number | undefined, reason: string): void;
  /** The peer broke RFC 6455; nothing more is read. */
  protocolError(detail: string): void;
}

const OPCODE_CONTINUATION = 0x0;
const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;
const TWO_POW_32 = 2 ** 32;
const MAX_HEADER_BYTES = 10;

interface FrameHeader {
  readonly fin: boolean;
  readonly opcode: number;
  readonly headerBytes: number;
  readonly payloadBytes: number;
}

/**
 * Reads the unmasked frames a WebSocket server sends (RFC 6455 §5.2) straight from the socket's
 * chunks. The agent answers in 1 KiB messages, hundreds per read: `ws`'s own receiver allocates a
 * view per header field and copies every payload, which made it the client's largest source of
 * garbage. Here a frame that lies within one chunk is handed on as a view of it (Node allocates a
 * new buffer for each socket read, so the view stays valid); only a frame split across reads is
 * copied, once. No extensions are negotiated, so reserved bits are an error, as is a masked frame.
 */
export class ServerFrameReader {
  /** The bytes of a frame that has not all arrived, in the order read. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The pending frame's header, once enough of it has arrived. */
  private pendingHeader: FrameHeader | undefined;
  /** Data fragments of a message sent in several frames. */
  private fragments: Buffer[] = [];
  private fragmentedBytes = 0;
  private failed = false;

  constructor(
    private readonly handlers: ServerFrameHandlers,
    private readonly maxPayloadBytes: number,
  ) {}

  push(chunk: Buffer): void {
    if (this.failed) return;
    const data = this.pendingBytes > 0 ? this.completePending(chunk) : chunk;
    if (data === undefined) return;
    let offset = 0;
    while (offset < data.length && !this.failed) {
      const header = this.headerAt(data, offset);
      if (header === undefined || offset + header.headerBytes + header.payloadBytes > data.length) {
        if (!this.failed) this.keepPending(data.subarray(offset));
        return;
      }
      const start = offset + header.headerBytes;
      offset = start + header.payloadBytes;
      this.frame(header, data.subarray(start, offset));
    }
  }

  private keepPending(bytes: Buffer): void {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  /**
   * Adds `chunk` to the frame under way. Once that frame is whole it is handled, and what of `chunk`
   * follows it is returned (not copied); undefined while it is still incomplete.
   */
  private completePending(chunk: Buffer): Buffer | undefined {
    if (this.pendingHeader === undefined) {
      this.pendingHeader = this.headerAt(this.firstBytes(chunk, MAX_HEADER_BYTES), 0);
      if (this.failed) return undefined;
    }
    const header = this.pendingHeader;
    const frameBytes = header ? header.headerBytes + header.payloadBytes : Number.POSITIVE_INFINITY;
    if (this.pendingBytes + chunk.length < frameBytes) {
      this.keepPending(chunk);
      return undefined;
    }
    const taken = frameBytes - this.pendingBytes;
    const frame = Buffer.concat([...this.pending, chunk.subarray(0, taken)], frameBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingHeader = undefined;
    this.frame(header!, frame.subarray(header!.headerBytes));
    return chunk.subarray(taken);
  }

  /** Up to `count` bytes from the start of the pending frame, then `chunk`. */
  private firstBytes(chunk: Buffer, count: number): Buffer {
    const pieces: Buffer[] = [];
    let have = 0;
    for (const piece of [...this.pending, chunk]) {
      if (have >= count) break;
      const part = piece.subarray(0, count - have);
      pieces.push(part);
      have += part.length;
    }
    return Buffer.concat(pieces, have);
  }

  /** The frame header at `offset`; undefined when its bytes have not all arrived (or it is invalid). */
  private headerAt(data: Buffer, offset: number): FrameHeader | undefined {
    if (data.length - offset < 2) return undefined;
    const first = data[offset]!;
    const second = data[offset + 1]!;
    if ((first & 0x70) !== 0) return this.fail('a frame with reserved bits set (no extension was agreed)');
    if ((second & 0x80) !== 0) return this.fail('a masked frame from the server');
    const opcode = first & 0x0f;
    let payloadBytes = second & 0x7f;
    let headerBytes = 2;
    if (payloadBytes === 126) {
      if (data.length - offset < 4) return undefined;
      payloadBytes = data.readUInt16BE(offset + 2);
      headerBytes = 4;
    } else if (payloadBytes === 127) {
      if (data.length - offset < 10) return undefined;
      const high = data.readUInt32BE(offset + 2);
      if (high > 0x1fffff) return this.fail('a frame longer than 2^53 bytes');
      payloadBytes = high * TWO_POW_32 + data.readUInt32BE(offset + 6);
      headerBytes = 10;
    }
    if (opcode >= 0x8 && (payloadBytes > 125 || (first & 0x80) === 0)) {
      return this.fail('a fragmented or oversized control frame');
    }
    if (payloadBytes + this.fragmentedBytes > this.maxPayloadBytes) {
      return this.fail(`a message over ${this.maxPayloadBytes} bytes`);
    }
    return { fin: (first & 0x80) !== 0, opcode, headerBytes, payloadBytes };
  }

  private frame(header: FrameHeader, payload: Buffer): void {
    switch (header.opcode) {
      case OPCODE_BINARY:
      case OPCODE_TEXT:
        if (this.fragments.length > 0) return void this.fail('a new message inside a fragmented one');
        if (header.fin) this.handlers.message(payload);
        else this.addFragment(payload);
        return;
      case OPCODE_CONTINUATION:
        if (this.fragments.length === 0) return void this.fail('a continuation frame with no message');
        this.addFragment(payload);
        if (header.fin) {
          const message = Buffer.concat(this.fragments, this.fragmentedBytes);
          this.fragments = [];
          this.fragmentedBytes = 0;
          this.handlers.message(message);
        }
        return;
      case OPCODE_PING:
        this.handlers.ping(payload);
        return;
      case OPCODE_PONG:
        this.handlers.pong();
        return;
      case OPCODE_CLOSE:
        this.failed = true;
        this.handlers.close(
          payload.length >= 2 ? payload.readUInt16BE(0) : undefined,
          payload.subarray(2).toString('utf8'),
        );
        return;
      default:
        this.fail(`an unknown opcode ${header.opcode}`);
    }
  }

  private addFragment(payload: Buffer): void {
    this.fragments.push(payload);
    this.fragmentedBytes += payload.length;
  }

  private fail(detail: string): undefined {
    if (!this.failed) {
      this.failed = true;
      this.handlers.protocolError(detail);
    }
    return undefined;
  }
}
