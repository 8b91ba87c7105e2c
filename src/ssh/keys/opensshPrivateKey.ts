import { randomBytes } from 'node:crypto';
import {
  ED25519_KEY_TYPE,
  ED25519_PUBLIC_LENGTH,
  ED25519_SEED_LENGTH,
  ed25519PublicKeyFromSeed,
} from './ed25519';
import type { Ed25519KeyMaterial } from './ed25519';
import { InvalidPrivateKeyError } from './errors';
import { checkKeyComment } from './keyComment';
import { SshWireReader, SshWireWriter } from './sshWire';
import { SshWireFormatError } from './errors';

// The openssh-key-v1 container (OpenSSH PROTOCOL.key): magic, cipher/kdf, public keys, then a
// private section holding a repeated random check integer, the keys, a comment and padding.
const AUTH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const BEGIN_LINE = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END_LINE = '-----END OPENSSH PRIVATE KEY-----';
const BASE64_LINE_LENGTH = 70;
// Block size of the "none" cipher; the private section is padded to a multiple of it.
const NONE_CIPHER_BLOCK_SIZE = 8;

export interface ParsedEd25519PrivateKey extends Ed25519KeyMaterial {
  readonly comment: string;
}

/** The SSH wire encoding of an ed25519 public key: string "ssh-ed25519", string key. */
export function ed25519PublicKeyBlob(publicKey: Uint8Array): Buffer {
  return new SshWireWriter().string(ED25519_KEY_TYPE).string(publicKey).toBuffer();
}

function privateSection(key: Ed25519KeyMaterial, comment: string, checkInt: number): Buffer {
  const writer = new SshWireWriter()
    .uint32(checkInt)
    .uint32(checkInt)
    .string(ED25519_KEY_TYPE)
    .string(key.publicKey)
    .string(Buffer.concat([key.seed, key.publicKey]))
    .string(comment);
  const padding: number[] = [];
  for (let i = 1; (writer.length + padding.length) % NONE_CIPHER_BLOCK_SIZE !== 0; i++) {
    padding.push(i);
  }
  return writer.raw(Uint8Array.from(padding)).toBuffer();
}

function armor(body: Buffer): string {
  const base64 = body.toString('base64');
  const lines: string[] = [BEGIN_LINE];
  for (let i = 0; i < base64.length; i += BASE64_LINE_LENGTH) {
    lines.push(base64.slice(i, i + BASE64_LINE_LENGTH));
  }
  lines.push(END_LINE, '');
  return lines.join('\n');
}

/**
 * Serializes an ed25519 key in the format `ssh-keygen` writes for an unencrypted key
 * ("-----BEGIN OPENSSH PRIVATE KEY-----", cipher none, 70-column base64, trailing newline).
 */
export function serializeEd25519PrivateKey(
  key: Ed25519KeyMaterial,
  comment: string,
  checkInt: number = randomBytes(4).readUInt32BE(0),
): string {
  checkKeyComment(comment);
  const body = new SshWireWriter()
    .raw(AUTH_MAGIC)
    .string('none')
    .string('none')
    .string('')
    .uint32(1)
    .string(ed25519PublicKeyBlob(key.publicKey))
    .string(privateSection(key, comment, checkInt))
    .toBuffer();
  return armor(body);
}

function dearmor(text: string): Buffer {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') {
    lines.pop();
  }
  if (lines[0] !== BEGIN_LINE || lines[lines.length - 1] !== END_LINE || lines.length < 3) {
    throw new InvalidPrivateKeyError('it is not in the "BEGIN OPENSSH PRIVATE KEY" format');
  }
  const base64 = lines.slice(1, -1).join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
    throw new InvalidPrivateKeyError('its body is not base64');
  }
  const body = Buffer.from(base64, 'base64');
  if (body.toString('base64') !== base64) {
    throw new InvalidPrivateKeyError('its body is not canonical base64');
  }
  return body;
}

function checkPadding(reader: SshWireReader): void {
  const padding = reader.raw(reader.remaining);
  if (padding.length >= NONE_CIPHER_BLOCK_SIZE || padding.some((byte, i) => byte !== i + 1)) {
    throw new InvalidPrivateKeyError('its private section padding is wrong');
  }
}

function parsePrivateSection(section: Buffer, publicBlob: Buffer): ParsedEd25519PrivateKey {
  if (section.length % NONE_CIPHER_BLOCK_SIZE !== 0) {
    throw new InvalidPrivateKeyError('its private section is not block aligned');
  }
  const reader = new SshWireReader(section);
  if (reader.uint32() !== reader.uint32()) {
    throw new InvalidPrivateKeyError('its check integers differ (the key is corrupt or encrypted)');
  }
  if (reader.asciiString() !== ED25519_KEY_TYPE) {
    throw new InvalidPrivateKeyError('it is not an ed25519 key');
  }
  const publicKey = reader.string();
  const secret = reader.string();
  const comment = reader.string().toString('utf8');
  checkPadding(reader);
  if (
    publicKey.length !== ED25519_PUBLIC_LENGTH ||
    secret.length !== ED25519_SEED_LENGTH + ED25519_PUBLIC_LENGTH
  ) {
    throw new InvalidPrivateKeyError('its ed25519 key lengths are wrong');
  }
  const seed = Buffer.from(secret.subarray(0, ED25519_SEED_LENGTH));
  if (
    !secret.subarray(ED25519_SEED_LENGTH).equals(publicKey) ||
    !ed25519PublicKeyFromSeed(seed).equals(publicKey) ||
    !ed25519PublicKeyBlob(publicKey).equals(publicBlob)
  ) {
    throw new InvalidPrivateKeyError('its public and private halves do not belong together');
  }
  return { seed, publicKey: Buffer.from(publicKey), comment };
}

/** Parses an unencrypted OpenSSH ed25519 private key and checks it is internally consistent. */
export function parseEd25519PrivateKey(text: string): ParsedEd25519PrivateKey {
  const body = dearmor(text);
  try {
    if (!body.subarray(0, AUTH_MAGIC.length).equals(AUTH_MAGIC)) {
      throw new InvalidPrivateKeyError('it lacks the openssh-key-v1 header');
    }
    const reader = new SshWireReader(body.subarray(AUTH_MAGIC.length));
    const cipher = reader.asciiString();
    const kdf = reader.asciiString();
    reader.string();
    if (cipher !== 'none' || kdf !== 'none') {
      throw new InvalidPrivateKeyError('it is protected by a passphrase');
    }
    if (reader.uint32() !== 1) {
      throw new InvalidPrivateKeyError('it does not hold exactly one key');
    }
    const publicBlob = reader.string();
    const section = reader.string();
    reader.expectEnd('the private section');
    return parsePrivateSection(section, publicBlob);
  } catch (error) {
    if (error instanceof SshWireFormatError) {
      throw new InvalidPrivateKeyError(`it is truncated or malformed (${error.message})`);
    }
    throw error;
  }
}
