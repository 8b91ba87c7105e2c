import { randomUUID } from 'node:crypto';
import { InvalidMessageIdError } from './sessionErrors';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function newMessageId(): string {
  return randomUUID();
}

/**
 * Writes a UUID in the data channel's wire order into `target` at `offset`: the least significant
 * half (canonical bytes 8..15) first, then the most significant half (bytes 0..7).
 */
export function writeMessageId(uuid: string, target: Buffer, offset: number): void {
  if (!UUID_PATTERN.test(uuid)) {
    throw new InvalidMessageIdError(uuid);
  }
  // Canonical bytes 8..15 are the 4th and 5th groups; bytes 0..7 the first three.
  target.write(uuid.slice(19, 23) + uuid.slice(24, 36), offset, 8, 'hex');
  target.write(uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18), offset + 8, 8, 'hex');
}

/** Reads 16 wire-order bytes at `offset` and returns the lowercase hyphenated UUID. */
export function readMessageId(source: Buffer, offset: number): string {
  const hex = source.toString('hex', offset + 8, offset + 16) + source.toString('hex', offset, offset + 8);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
/** Wire byte index for each canonical byte (the two halves swapped), with a hyphen before 4, 6, 8 and 10. */
const CANONICAL_TO_WIRE = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];

/**
 * Writes the lowercase hyphenated text of the wire-order id at `sourceOffset` into `target` (36
 * bytes at `targetOffset`): what `readMessageId` returns, without making a string. An ack carries
 * the id of every 1 KiB the agent sends.
 */
export function writeMessageIdText(
  source: Buffer,
  sourceOffset: number,
  target: Buffer,
  targetOffset: number,
): void {
  let at = targetOffset;
  for (let i = 0; i < 16; i += 1) {
    if (i === 4 || i === 6 || i === 8 || i === 10) target[at++] = 0x2d;
    const byte = source[sourceOffset + CANONICAL_TO_WIRE[i]!]!;
    target[at++] = HEX_DIGITS[byte >> 4]!;
    target[at++] = HEX_DIGITS[byte & 0x0f]!;
  }
}
