import * as path from 'node:path';
import { PRIVATE_DIR_MODE, ensureDirectory } from './atomicWrite';
import { nodeFileSystem } from './fileSystem';
import type { SshFileSystem } from './fileSystem';
import { FileLockError } from './errors';

/** A lock older than this (its holder stopped refreshing it: killed, machine slept) is taken over. */
const STALE_AFTER_MS = 10_000;
/** Waiting for the lock: 60 tries, growing to 500 ms apart, so about half a minute in all. */
const RETRIES = { retries: 60, factor: 1.3, minTimeout: 10, maxTimeout: 500, randomize: true };

export interface FileLockOptions {
  readonly fs?: SshFileSystem;
  /** Overrides the retry policy (tests use a short one). */
  readonly retries?: typeof RETRIES;
}

export function lockPathOf(file: string): string {
  return `${file}.lock`;
}

/**
 * Runs `update` while holding a cross-process lock on `file` (a `<file>.lock` directory, which
 * works on Windows and network file systems alike), so each read-modify-write of a file shared by
 * the extension, the CLI and every ssh ProxyCommand sees the previous one's result. The file's
 * directory is created (0700) if missing; the file itself need not exist.
 */
export async function withFileLock<T>(
  file: string,
  update: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const lockPath = lockPathOf(file);
  await ensureDirectory(options.fs ?? nodeFileSystem, path.dirname(file), PRIVATE_DIR_MODE);
  const { lock } = await import('proper-lockfile');
  let release: () => Promise<void>;
  try {
    release = await lock(file, {
      lockfilePath: lockPath,
      realpath: false,
      stale: STALE_AFTER_MS,
      retries: options.retries ?? RETRIES,
      // The default throws from a timer and kills the process; the write is atomic either way.
      onCompromised: () => undefined,
    });
  } catch (error) {
    throw new FileLockError(file, lockPath, error);
  }
  try {
    return await update();
  } finally {
    await release().catch(() => undefined);
  }
}
