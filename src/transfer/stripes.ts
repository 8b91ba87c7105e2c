/** A byte range [start, end) of a file. */
export interface Stripe {
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** Below this a file goes over one session: striping would cost more in set-up than it saves. */
export const SMALL_FILE_BYTES = 4 * MiB;
/** The default upper bound for `-P`. */
export const DEFAULT_MAX_SESSIONS = 8;
/** The most sessions one transfer may open (`-P`, the sagemakerSsh.transfer.maxSessions setting). */
export const MAX_SESSIONS_LIMIT = 64;
/** Sessions are not opened for less than this much of a file each. */
const MIN_BYTES_PER_SESSION = 2 * MiB;
const MIN_STRIPE_BYTES = 1 * MiB;
const MAX_STRIPE_BYTES = 16 * MiB;
const STRIPE_ALIGNMENT = 64 * KiB;

/** How many sessions a file of `size` bytes is worth, at most `maxSessions`. */
export function sessionsFor(size: number, maxSessions: number): number {
  if (size < SMALL_FILE_BYTES) return 1;
  return Math.max(1, Math.min(maxSessions, Math.floor(size / MIN_BYTES_PER_SESSION)));
}

/**
 * The stripe size for a file spread over `sessions` sessions: about four stripes per session (so
 * the last ones finish close together and a dropped session loses little), 64 KiB aligned,
 * between 1 and 16 MiB.
 */
export function stripeSizeFor(size: number, sessions: number): number {
  const target = Math.ceil(size / (Math.max(1, sessions) * 4));
  const aligned = Math.ceil(target / STRIPE_ALIGNMENT) * STRIPE_ALIGNMENT;
  return Math.min(MAX_STRIPE_BYTES, Math.max(MIN_STRIPE_BYTES, aligned));
}

/** Splits [0, size) into stripes of `stripeSize` (the last one shorter); an empty file has none. */
export function planStripes(size: number, stripeSize: number): Stripe[] {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`invalid file size ${size}`);
  if (!Number.isSafeInteger(stripeSize) || stripeSize <= 0)
    throw new RangeError(`invalid stripe size ${stripeSize}`);
  const stripes: Stripe[] = [];
  for (let start = 0, index = 0; start < size; start += stripeSize, index++) {
    stripes.push({ index, start, end: Math.min(size, start + stripeSize) });
  }
  return stripes;
}

/** The stripes not yet in `done` (indices), in order. */
export function remainingStripes(stripes: readonly Stripe[], done: ReadonlySet<number>): Stripe[] {
  return stripes.filter((stripe) => !done.has(stripe.index));
}

/** Splits a stripe into blocks of at most `blockSize` for pipelined SFTP requests. */
export function blocksOf(stripe: Stripe, blockSize: number): { offset: number; length: number }[] {
  const blocks: { offset: number; length: number }[] = [];
  for (let offset = stripe.start; offset < stripe.end; offset += blockSize) {
    blocks.push({ offset, length: Math.min(blockSize, stripe.end - offset) });
  }
  return blocks;
}
