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
