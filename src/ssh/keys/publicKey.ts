import { hasControlCharacters } from '../controlCharacters';
import { createHash } from 'node:crypto';
import { InvalidKeyCommentError, InvalidPublicKeyError } from './errors';
import { checkKeyComment } from './keyComment';
import { isSupportedPublicKeyType, validatePublicKeyBlob } from './publicKeyBlob';
import type { PublicKeyType } from './publicKeyBlob';

/** A validated SSH public key. `line` is its canonical one-line form. */
export interface SshPublicKey {
  readonly type: PublicKeyType;
  readonly blob: Buffer;
  readonly base64: string;
  readonly comment: string | undefined;
  /** `SHA256:<base64>` as printed by `ssh-keygen -l`. */
  readonly fingerprint: string;
  readonly line: string;
}

export interface ParsePublicKeyOptions {
  /** Refuse a trailing comment (host key lines in known_hosts carry none). Default false. */
  readonly rejectComment?: boolean;
}

const MAX_LINE_LENGTH = 16 * 1024;
const CANONICAL_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function publicKeyFingerprint(blob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function describeFirstField(field: string): string {
  if (
    /[=",]/.test(field) ||
    /^(no-|cert-authority|restrict|command|from|environment|permit|principals|tunnel)/.test(field)
  ) {
    return 'it starts with authorized_keys options, which are not allowed';
  }
  return `key type "${field.slice(0, 40)}" is not supported`;
}

function decodeBase64(text: string): Buffer {
  if (!CANONICAL_BASE64.test(text) || text.length % 4 !== 0) {
    throw new InvalidPublicKeyError('its key data is not base64');
  }
  const blob = Buffer.from(text, 'base64');
  if (blob.toString('base64') !== text) {
    throw new InvalidPublicKeyError('its key data is not canonical base64');
  }
  return blob;
}

function checkComment(comment: string | undefined, options: ParsePublicKeyOptions): void {
  if (comment === undefined) {
    return;
  }
  if (options.rejectComment === true) {
    throw new InvalidPublicKeyError('it has text after the key data');
  }
  if (comment === '') {
    throw new InvalidPublicKeyError('it ends with a space');
  }
  try {
    checkKeyComment(comment);
  } catch (error) {
    if (error instanceof InvalidKeyCommentError) {
      throw new InvalidPublicKeyError('its comment is empty, padded, too long or has control characters');
    }
    throw error;
  }
}

/**
 * Strictly parses one public key line: `<type> <base64> [comment]`, fields separated by exactly one
 * space, no line breaks or control characters, no authorized_keys options, a supported type that
 * matches the type embedded in the key data, and well-formed key data. Throws InvalidPublicKeyError.
 */
export function parsePublicKey(line: string, options: ParsePublicKeyOptions = {}): SshPublicKey {
  if (line.length > MAX_LINE_LENGTH) {
    throw new InvalidPublicKeyError(`it is longer than ${MAX_LINE_LENGTH} characters`);
  }
  if (hasControlCharacters(line)) {
    throw new InvalidPublicKeyError('it contains a line break or control character');
  }
  const match = /^([^ ]+) ([^ ]+)(?: (.*))?$/su.exec(line);
  if (match === null) {
    throw new InvalidPublicKeyError('it is not "<type> <base64> [comment]" separated by single spaces');
  }
  const [, type, base64, comment] = match;
  if (!isSupportedPublicKeyType(type)) {
    throw new InvalidPublicKeyError(describeFirstField(type));
  }
  const blob = decodeBase64(base64);
  validatePublicKeyBlob(blob, type);
  checkComment(comment, options);
  return {
    type,
    blob,
    base64,
    comment,
    fingerprint: publicKeyFingerprint(blob),
    line: comment === undefined ? `${type} ${base64}` : `${type} ${base64} ${comment}`,
  };
}

/** True when `line` passes parsePublicKey. */
export function isValidPublicKey(line: string, options: ParsePublicKeyOptions = {}): boolean {
  try {
    parsePublicKey(line, options);
    return true;
  } catch (error) {
    if (error instanceof InvalidPublicKeyError) {
      return false;
    }
    throw error;
  }
}
