import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Request ids in the formats each AWS protocol family uses. */
export function jsonRequestId(): string {
  return randomUUID();
}

export function s3RequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

export function s3HostId(): string {
  return randomBytes(56).toString('base64');
}

/** Hybrid managed-node ids: `mi-` followed by 17 lowercase hex digits. */
export function managedInstanceId(): string {
  return 'mi-' + randomBytes(9).toString('hex').slice(0, 17);
}

export function activationId(): string {
  return randomUUID();
}

/** Activation codes are 20 characters of base64 alphabet, like the ones SSM hands out. */
export function activationCode(): string {
  return randomBytes(15).toString('base64');
}

/** A stable id derived from a seed string, for scenario entities without an explicit id. */
export function derivedHex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/** Studio domain ids look like `d-` + 12 lowercase alphanumerics. */
export function derivedDomainId(seed: string): string {
  return 'd-' + base36(derivedHex(seed, 16)).slice(0, 12).padStart(12, '0');
}

function base36(hex: string): string {
  return BigInt('0x' + hex).toString(36);
}
