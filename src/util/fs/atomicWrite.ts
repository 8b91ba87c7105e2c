import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { FileWriteError } from './errors';
import { errorCode, isNotFound, removeQuietly } from './fileSystem';
import type { SshFileSystem } from './fileSystem';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Where a write to `requestedPath` really lands, and the mode the file has today (if it exists). */
export interface WriteTarget {
  readonly path: string;
  readonly existingMode: number | undefined;
}

/**
 * `.<name>.<pid>-<random>.tmp` next to `target`: the pid lets a later run tell a file orphaned by a
 * killed process (see removeStaleTemporaries) from one a live writer is still filling.
 */
export function temporarySibling(target: string): string {
  const unique = `${process.pid}-${randomBytes(6).toString('hex')}`;
  return path.join(path.dirname(target), `.${path.basename(target)}.${unique}.tmp`);
}

/**
 * Follows a symlink to the file it names, so an atomic rename replaces the target file rather than
 * the link. A dangling link is reported as ENOENT by realpath and surfaces to the caller.
 */
export async function resolveWriteTarget(fs: SshFileSystem, requestedPath: string): Promise<WriteTarget> {
  let info;
  try {
    info = await fs.lstat(requestedPath);
  } catch (error) {
    if (isNotFound(error)) {
      return { path: requestedPath, existingMode: undefined };
    }
    throw error;
  }
  if (!info.isSymbolicLink()) {
    return { path: requestedPath, existingMode: info.mode & 0o7777 };
  }
  const real = await fs.realpath(requestedPath);
  const targetInfo = await fs.stat(real);
  return { path: real, existingMode: targetInfo.mode & 0o7777 };
}

/**
 * Writes `data` to a temporary file next to `target`, sets its mode exactly (umask-independent)
 * and renames it over `target`. On any failure the temporary file is removed and `target` is
 * untouched. Throws FileWriteError.
 */
export async function writeFileAtomic(
  fs: SshFileSystem,
  target: string,
  data: Uint8Array,
  mode: number,
): Promise<void> {
  const temp = await writeTemporarySibling(fs, target, data, mode);
  try {
    await fs.rename(temp, target);
  } catch (error) {
    await removeQuietly(fs, temp);
    throw new FileWriteError(target, path.dirname(target), error);
  }
}

/**
 * Writes `data` with exactly `mode` to a fresh temporary file next to `target` and returns its
 * path. On failure nothing is left behind. Throws FileWriteError.
 */
export async function writeTemporarySibling(
  fs: SshFileSystem,
  target: string,
  data: Uint8Array,
  mode: number,
): Promise<string> {
  const temp = temporarySibling(target);
  try {
    await fs.writeNewFile(temp, data, mode);
  } catch (error) {
    // EEXIST means the name belonged to someone else; anything else may have left a partial file.
    if (errorCode(error) !== 'EEXIST') {
      await removeQuietly(fs, temp);
    }
    throw new FileWriteError(target, path.dirname(target), error);
  }
  try {
    await fs.chmod(temp, mode);
  } catch (error) {
    await removeQuietly(fs, temp);
    throw new FileWriteError(target, path.dirname(target), error);
  }
  return temp;
}

/** mkdir -p with the given mode for directories it creates. Throws FileWriteError. */
export async function ensureDirectory(fs: SshFileSystem, dir: string, mode: number): Promise<void> {
  try {
    await fs.mkdir(dir, mode);
  } catch (error) {
    throw new FileWriteError(dir, path.dirname(dir), error);
  }
}

/** Creates a directory we own and forces its mode (it may pre-date us with looser bits). */
export async function ensurePrivateDirectory(fs: SshFileSystem, dir: string): Promise<void> {
  await ensureDirectory(fs, dir, PRIVATE_DIR_MODE);
  try {
    await fs.chmod(dir, PRIVATE_DIR_MODE);
  } catch (error) {
    throw new FileWriteError(dir, path.dirname(dir), error);
  }
}

/**
 * mkdir -p that reports which directories it created (deepest last), so a rollback can remove
 * exactly those. Throws FileWriteError.
 */
export async function createDirectoryTracked(
  fs: SshFileSystem,
  dir: string,
  mode: number,
): Promise<string[]> {
  const missing: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    try {
      await fs.stat(current);
      break;
    } catch (error) {
      if (!isNotFound(error) || path.dirname(current) === current) {
        break;
      }
      missing.unshift(current);
    }
  }
  if (missing.length > 0) {
    await ensureDirectory(fs, dir, mode);
  }
  return missing;
}

/** Removes directories created by createDirectoryTracked, deepest first; never throws. */
export async function removeDirectoriesQuietly(fs: SshFileSystem, created: readonly string[]): Promise<void> {
  for (const dir of [...created].reverse()) {
    try {
      await fs.rmdir(dir);
    } catch {
      // Not empty or already gone: leave it.
    }
  }
}
