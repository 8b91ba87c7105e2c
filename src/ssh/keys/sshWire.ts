import { SshWireFormatError } from './errors';

/** Builds SSH wire-format data: uint32 big-endian lengths and length-prefixed strings. */
export class SshWireWriter {
  private readonly parts: Buffer[] = [];

  uint32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value >>> 0);
    this.parts.push(b);
    return this;
  }

  string(value: Uint8Array | string): this {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
    this.uint32(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  raw(value: Uint8Array): this {
    this.parts.push(Buffer.from(value));
    return this;
  }

  get length(): number {
    return this.parts.reduce((n, p) => n + p.length, 0);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Reads SSH wire-format data; every read is bounds-checked. */
export class SshWireReader {
  private offset = 0;

  constructor(private readonly data: Buffer) {}

  uint32(): number {
    this.need(4);
    const value = this.data.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  string(): Buffer {
    const length = this.uint32();
    this.need(length);
    const value = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** A string that must be printable ASCII (algorithm names, cipher names). */
  asciiString(): string {
    const value = this.string();
    for (const byte of value) {
      if (byte < 0x21 || byte > 0x7e) {
        throw new SshWireFormatError('expected a printable ASCII name');
      }
    }
    return value.toString('latin1');
  }

  raw(length: number): Buffer {
    this.need(length);
    const value = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  get remaining(): number {
    return this.data.length - this.offset;
  }

  expectEnd(what: string): void {
    if (this.remaining !== 0) {
      throw new SshWireFormatError(`${this.remaining} unexpected trailing bytes after ${what}`);
    }
  }

  private need(length: number): void {
    if (length > this.remaining) {
      throw new SshWireFormatError('data ends before the field it declares');
    }
  }
}
