import { InvalidPublicKeyError } from '../keys/errors';
import { parsePublicKey } from '../keys/publicKey';
import type { SshPublicKey } from '../keys/publicKey';
import { InvalidHostKeyError } from './errors';

const HOST_KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
]);
// A literal lowercase host alias: no wildcard, negation, comma, bracket or whitespace.
const ALIAS = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*$/;

export function checkKnownHostsAlias(alias: string): string {
  if (alias.length > 253 || !ALIAS.test(alias)) {
    throw new InvalidHostKeyError(alias, 'the alias must be lowercase letters, digits, dots and hyphens');
  }
  return alias;
}

/** Validates host key lines (a trailing comment such as root@host is allowed and dropped). */
export function parseHostKeys(alias: string, lines: readonly string[]): SshPublicKey[] {
  if (lines.length === 0) {
    throw new InvalidHostKeyError(alias, 'no host keys were given');
  }
  const keys = new Map<string, SshPublicKey>();
  for (const line of lines) {
    let key: SshPublicKey;
    try {
      key = parsePublicKey(line);
    } catch (error) {
      if (error instanceof InvalidPublicKeyError) {
        throw new InvalidHostKeyError(alias, error.reason);
      }
      throw error;
    }
    if (!HOST_KEY_TYPES.has(key.type)) {
      throw new InvalidHostKeyError(alias, `${key.type} is not a host key type`);
    }
    keys.set(key.base64, key);
  }
  return [...keys.values()];
}

interface KnownHostsLine {
  readonly text: string;
  readonly eol: string;
}

function splitLines(content: string): KnownHostsLine[] {
  const lines: KnownHostsLine[] = [];
  const pattern = /([^\n]*)(\n|$)/g;
  for (let match = pattern.exec(content); match !== null && match[0] !== ''; match = pattern.exec(content)) {
    lines.push({ text: match[1], eol: match[2] });
  }
  return lines;
}

/** The host field of a plain (non-marker, non-comment) known_hosts line, split at commas. */
function hostNames(text: string): string[] {
  const trimmed = text.trimStart();
  if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('@')) {
    return [];
  }
  return trimmed.split(/[ \t]/, 1)[0].split(',');
}

function keyFields(text: string): string | undefined {
  const fields = text.trim().split(/[ \t]+/);
  return fields.length >= 3 ? `${fields[1]} ${fields[2]}` : undefined;
}

/** The pinned keys for `alias` in known_hosts content (lines we cannot parse are skipped). */
export function hostKeysIn(content: string, alias: string): SshPublicKey[] {
  const keys: SshPublicKey[] = [];
  for (const { text } of splitLines(content)) {
    const fields = hostNames(text).includes(alias) ? keyFields(text.replace(/\r$/, '')) : undefined;
    if (fields !== undefined) {
      try {
        keys.push(parsePublicKey(fields));
      } catch (error) {
        if (!(error instanceof InvalidPublicKeyError)) {
          throw error;
        }
      }
    }
  }
  return keys;
}

/**
 * Returns `content` with every line for `alias` removed and, if `keys` is non-empty, one
 * `alias type base64` line per key appended. Lines for other hosts are kept byte for byte.
 */
export function replaceHostKeys(content: string, alias: string, keys: readonly SshPublicKey[]): string {
  const kept = splitLines(content).filter(({ text }) => !hostNames(text).includes(alias));
  let result = kept.map(({ text, eol }) => text + eol).join('');
  if (result !== '' && !result.endsWith('\n')) {
    result += '\n';
  }
  for (const key of keys) {
    result += `${alias} ${key.type} ${key.base64}\n`;
  }
  return result;
}
