import * as fsp from 'node:fs/promises';

/** The subset of a stat result the ssh modules look at. */
export interface FileInfo {
  readonly mode: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/**
 * Every file operation of src/ssh goes through this interface, so tests can inject failures
 * (EACCES, ENOSPC half-way through a write, a failing rename) into a real directory tree.
 */
export interface SshFileSystem {
  readFile(path: string): Promise<Buffer>;
  /** Creates `path` exclusively (fails if it exists), writes all of `data`, flushes it to disk. */
  writeNewFile(path: string, data: Uint8Array, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Hard link; fails with EEXIST if `newPath` exists. Used for no-clobber publishing. */
  link(existingPath: string, newPath: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Removes an empty directory. */
  rmdir(path: string): Promise<void>;
  /** Recursive mkdir; directories it creates get `mode`. */
  mkdir(path: string, mode: number): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  stat(path: string): Promise<FileInfo>;
  lstat(path: string): Promise<FileInfo>;
  realpath(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
}

async function writeNewFile(path: string, data: Uint8Array, mode: number): Promise<void> {
  const handle = await fsp.open(path, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export const nodeFileSystem: SshFileSystem = {
  readFile: (path) => fsp.readFile(path),
  writeNewFile,
  rename: (from, to) => fsp.rename(from, to),
  link: (existingPath, newPath) => fsp.link(existingPath, newPath),
  unlink: (path) => fsp.unlink(path),
  rmdir: (path) => fsp.rmdir(path),
  mkdir: async (path, mode) => {
    await fsp.mkdir(path, { recursive: true, mode });
  },
  chmod: (path, mode) => fsp.chmod(path, mode),
  stat: (path) => fsp.stat(path),
  lstat: (path) => fsp.lstat(path),
  realpath: (path) => fsp.realpath(path),
  readdir: (path) => fsp.readdir(path),
};

export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function isNotFound(error: unknown): boolean {
  return errorCode(error) === 'ENOENT';
}

/** Reads a file, or returns undefined when it does not exist. Other errors propagate. */
export async function readFileIfExists(fs: SshFileSystem, path: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if (isNotFound(error)) {
      return undefined;
    }
    throw error;
  }
}

/** Best-effort removal used on rollback paths; never throws. */
export async function removeQuietly(fs: SshFileSystem, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch {
    // Already gone or not removable: nothing more a rollback can do.
  }
}
