import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';

export const ED25519_KEY_TYPE = 'ssh-ed25519';
export const ED25519_SEED_LENGTH = 32;
export const ED25519_PUBLIC_LENGTH = 32;

/** Raw ed25519 key material: the 32-byte seed (RFC 8032 private key) and the 32-byte public key. */
export interface Ed25519KeyMaterial {
  readonly seed: Buffer;
  readonly publicKey: Buffer;
}

// ASN.1 prefix of a PKCS#8 ed25519 private key; the 32-byte seed follows it (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function generateEd25519(): Ed25519KeyMaterial {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.d === undefined || jwk.x === undefined) {
    throw new Error('Node did not export the ed25519 key as JWK');
  }
  return { seed: Buffer.from(jwk.d, 'base64url'), publicKey: Buffer.from(jwk.x, 'base64url') };
}

/** The public key that belongs to `seed`, computed by Node's crypto. */
export function ed25519PublicKeyFromSeed(seed: Uint8Array): Buffer {
  if (seed.length !== ED25519_SEED_LENGTH) {
    throw new RangeError(`an ed25519 seed is ${ED25519_SEED_LENGTH} bytes, got ${seed.length}`);
  }
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (jwk.x === undefined) {
    throw new Error('Node did not export the ed25519 public key as JWK');
  }
  return Buffer.from(jwk.x, 'base64url');
}
