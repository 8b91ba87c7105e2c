import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

/** Our temporary files: `.<name>.<pid>-<12 hex>.tmp` (temporarySibling), or without the pid (older builds). */
const temporaryName = /^\..+\.(?:(\d+)-)?[0-9a-f]{12}\.tmp$/;
/** Old enough that no write of ours can still be in progress. */
export const STALE_TEMPORARY_AGE_MS = 10 * 60_000;

export interface StaleSweepOptions {
  readonly now?: number;
  readonly olderThanMs?: number;
  /** Whether a process id is running; default: signal 0. */
  readonly isAlive?: (pid: number) => boolean;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function removeIfStale(
  file: string,
  pid: number | undefined,
  options: Required<StaleSweepOptions>,
): Promise<boolean> {
  if (pid === process.pid || (pid !== undefined && options.isAlive(pid))) {
    return false;
  }
  const info = await fsp.lstat(file);
  if (!info.isFile() || options.now - info.mtimeMs < options.olderThanMs) {
    return false;
  }
  await fsp.unlink(file);
  return true;
}

/**
 * Removes temporary files a killed run left in `dirs` (an atomic write interrupted between
 * writing the temporary file and renaming it): only names of ours, only older than
 * STALE_TEMPORARY_AGE_MS, and only when the process that wrote them is gone. Best effort: returns
 * the files removed and never throws.
 */
export async function removeStaleTemporaries(
  dirs: readonly string[],
  options: StaleSweepOptions = {},
): Promise<string[]> {
  const resolved = {
    now: options.now ?? Date.now(),
    olderThanMs: options.olderThanMs ?? STALE_TEMPORARY_AGE_MS,
    isAlive: options.isAlive ?? isProcessAlive,
  };
  const removed: string[] = [];
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = await fsp.readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const match = temporaryName.exec(name);
      if (!match) continue;
      const file = path.join(dir, name);
      const pid = match[1] === undefined ? undefined : Number(match[1]);
      if (await removeIfStale(file, pid, resolved).catch(() => false)) {
        removed.push(file);
      }
    }
  }
  return removed;
}
