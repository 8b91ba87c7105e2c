import { hasControlCharacters } from '../controlCharacters';
import * as path from 'node:path';
import { UnsupportedConfigPathError } from './errors';

/** How paths are spelled in the config: Windows paths are written with forward slashes. */
export type ConfigPlatform = 'posix' | 'win32';

export function currentConfigPlatform(): ConfigPlatform {
  return process.platform === 'win32' ? 'win32' : 'posix';
}

const GLOB_CHARS = /[*?[\]]/;

function checkPathCommon(value: string, platform: ConfigPlatform): string {
  if (hasControlCharacters(value)) {
    throw new UnsupportedConfigPathError(value, 'it contains a line break or control character');
  }
  if (value.includes('"')) {
    throw new UnsupportedConfigPathError(value, 'it contains a double quote');
  }
  if (value.includes('${')) {
    throw new UnsupportedConfigPathError(value, 'ssh would expand "${" as an environment variable');
  }
  if (platform === 'win32') {
    if (!/^[A-Za-z]:[\\/]/.test(value)) {
      throw new UnsupportedConfigPathError(value, 'it is not an absolute path with a drive letter');
    }
    return value.replace(/\\/g, '/');
  }
  if (!path.posix.isAbsolute(value)) {
    throw new UnsupportedConfigPathError(value, 'it is not an absolute path');
  }
  if (value.includes('\\')) {
    throw new UnsupportedConfigPathError(value, 'ssh treats a backslash as an escape character');
  }
  return value;
}

/**
 * The spelling of a path for IdentityFile / UserKnownHostsFile, which expand %-tokens: "%" is
 * doubled. The caller writes the result in double quotes.
 */
export function tokenPathValue(value: string, platform: ConfigPlatform): string {
  return checkPathCommon(value, platform).replace(/%/g, '%%');
}

/** The inverse of tokenPathValue (for reading our own file back). */
export function untokenPathValue(value: string): string {
  return value.replace(/%%/g, '%');
}

/** The spelling of a path for Include, which expands globs (and, in newer OpenSSH, tokens). */
export function includePathValue(value: string, platform: ConfigPlatform): string {
  const checked = checkPathCommon(value, platform);
  if (GLOB_CHARS.test(checked)) {
    throw new UnsupportedConfigPathError(value, 'ssh would treat *, ?, [ or ] as a wildcard');
  }
  if (checked.includes('%')) {
    throw new UnsupportedConfigPathError(value, 'ssh may expand "%" in Include paths');
  }
  return checked;
}
