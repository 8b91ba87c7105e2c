import { createPublicKey } from 'node:crypto';
import { InvalidPublicKeyError } from './errors';
import { SshWireReader } from './sshWire';
import { SshWireFormatError } from './errors';

export const SUPPORTED_PUBLIC_KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;

export type PublicKeyType = (typeof SUPPORTED_PUBLIC_KEY_TYPES)[number];

export const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 16384;

const EC_CURVES = {
  nistp256: { jwkCurve: 'P-256', coordinateLength: 32 },
  nistp384: { jwkCurve: 'P-384', coordinateLength: 48 },
  nistp521: { jwkCurve: 'P-521', coordinateLength: 66 },
} as const;

type EcCurveName = keyof typeof EC_CURVES;

export function isSupportedPublicKeyType(value: string): value is PublicKeyType {
  return (SUPPORTED_PUBLIC_KEY_TYPES as readonly string[]).includes(value);
}

function importOrReject(jwk: Record<string, string>, what: string): void {
  try {
    createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    throw new InvalidPublicKeyError(`its ${what} is not a valid public key`);
  }
}

function readEd25519(reader: SshWireReader): void {
  if (reader.string().length !== 32) {
    throw new InvalidPublicKeyError('its ed25519 key is not 32 bytes');
  }
}

/** An SSH mpint that must be positive and minimally encoded (RFC 4251 §5). */
function readPositiveMpint(reader: SshWireReader, what: string): Buffer {
  const value = reader.string();
  if (value.length === 0 || (value[0] & 0x80) !== 0) {
    throw new InvalidPublicKeyError(`its RSA ${what} is not a positive integer`);
  }
  if (value[0] === 0 && (value.length === 1 || (value[1] & 0x80) === 0)) {
    throw new InvalidPublicKeyError(`its RSA ${what} is not minimally encoded`);
  }
  return value[0] === 0 ? value.subarray(1) : value;
}

function readRsa(reader: SshWireReader): void {
  const exponent = readPositiveMpint(reader, 'exponent');
  const modulus = readPositiveMpint(reader, 'modulus');
  const bits = modulus.length * 8 - Math.clz32(modulus[0]) + 24;
  if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
    throw new InvalidPublicKeyError(
      `its RSA modulus has ${bits} bits (allowed: ${MIN_RSA_BITS}–${MAX_RSA_BITS})`,
    );
  }
  if ((exponent[exponent.length - 1] & 1) === 0) {
    throw new InvalidPublicKeyError('its RSA exponent is even');
  }
  importOrReject(
    { kty: 'RSA', n: modulus.toString('base64url'), e: exponent.toString('base64url') },
    'RSA key',
  );
}

function readEcdsa(reader: SshWireReader, curveName: EcCurveName): void {
  if (reader.asciiString() !== curveName) {
    throw new InvalidPublicKeyError(`its embedded curve does not match ${curveName}`);
  }
  const point = reader.string();
  const { jwkCurve, coordinateLength } = EC_CURVES[curveName];
  if (point.length !== 1 + 2 * coordinateLength || point[0] !== 0x04) {
    throw new InvalidPublicKeyError(`its ${curveName} point is not an uncompressed point`);
  }
  const x = point.subarray(1, 1 + coordinateLength).toString('base64url');
  const y = point.subarray(1 + coordinateLength).toString('base64url');
  importOrReject({ kty: 'EC', crv: jwkCurve, x, y }, `${curveName} point`);
}

function readSecurityKeyApplication(reader: SshWireReader): void {
  const application = reader.string().toString('latin1');
  if (!/^ssh:[\x21-\x7e]*$/.test(application)) {
    throw new InvalidPublicKeyError('its security-key application is not an "ssh:" name');
  }
}

function readBody(reader: SshWireReader, type: PublicKeyType): void {
  switch (type) {
    case 'ssh-ed25519':
      return readEd25519(reader);
    case 'ssh-rsa':
      return readRsa(reader);
    case 'ecdsa-sha2-nistp256':
      return readEcdsa(reader, 'nistp256');
    case 'ecdsa-sha2-nistp384':
      return readEcdsa(reader, 'nistp384');
    case 'ecdsa-sha2-nistp521':
      return readEcdsa(reader, 'nistp521');
    case 'sk-ssh-ed25519@openssh.com':
      readEd25519(reader);
      return readSecurityKeyApplication(reader);
    case 'sk-ecdsa-sha2-nistp256@openssh.com':
      readEcdsa(reader, 'nistp256');
      return readSecurityKeyApplication(reader);
  }
}

/** Checks that `blob` is a well-formed public key of `type` (embedded type, sizes, curve points). */
export function validatePublicKeyBlob(blob: Buffer, type: PublicKeyType): void {
  const reader = new SshWireReader(blob);
  try {
    const embedded = reader.asciiString();
    if (embedded !== type) {
      throw new InvalidPublicKeyError(`it says "${type}" but the key data is "${embedded}"`);
    }
    readBody(reader, type);
    reader.expectEnd('the key');
  } catch (error) {
    if (error instanceof SshWireFormatError) {
      throw new InvalidPublicKeyError(`its key data is truncated or malformed (${error.message})`);
    }
    throw error;
  }
}
