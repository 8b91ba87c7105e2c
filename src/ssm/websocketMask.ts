import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

/** Fills the 4-byte mask `ws` applies to one client frame. */
export type MaskGenerator = (mask: Buffer) => void;

const MASK_POOL_SIZE = 8192;
let maskPool = Buffer.alloc(0);
let maskPoolOffset = 0;

/** Random masks from a pooled buffer, never all zero (`ws` treats a zero mask as "do not mask"). */
export const randomMask: MaskGenerator = (mask) => {
  if (maskPoolOffset + 4 > maskPool.length) {
    maskPool = randomBytes(MASK_POOL_SIZE);
    maskPoolOffset = 0;
  }
  maskPool.copy(mask, 0, maskPoolOffset, maskPoolOffset + 4);
  maskPoolOffset += 4;
  if ((mask[0] | mask[1] | mask[2] | mask[3]) === 0) mask[0] = 1;
};

/** The all-zero key: `ws` then writes the payload as it is, with no XOR pass and no copy. */
export const zeroMask: MaskGenerator = (mask) => {
  mask.fill(0);
};

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * Client-to-server masking (RFC 6455 §10.3) only protects plaintext intermediaries from
 * attacker-chosen bytes. Inside TLS, or on loopback, no intermediary sees the frames, and the
 * JavaScript XOR pass costs more CPU per byte than SHA-256; a zero key is still a valid mask.
 * Anywhere else (plain ws:// across a network) frames keep random keys.
 */
export function maskGeneratorFor(url: string): MaskGenerator {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return randomMask;
  }
  if (parsed.protocol === 'wss:' || isLoopbackHost(parsed.hostname)) return zeroMask;
  return randomMask;
}
