import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import type { Stats } from 'node:fs';

/** The few FileHandle calls a transfer makes (node's FileHandle has them). */
export interface LocalHandle {
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  truncate(length: number): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** Local file system calls of a transfer, injectable so tests can fail a write with ENOSPC. */
export interface LocalFiles {
  open(path: string, flags: string): Promise<LocalHandle>;
  stat(path: string): Promise<Stats>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; a missing one is fine. */
  remove(path: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  readFile(path: string): Promise<Buffer>;
  writeFile(path: string, data: Buffer): Promise<void>;
}

export const nodeLocalFiles: LocalFiles = {
  open: (path, flags) => fs.open(path, flags),
  stat: (path) => fs.stat(path),
  rename: (from, to) => fs.rename(from, to),
  remove: (path) => fs.rm(path, { force: true }),
  mkdir: async (path) => {
    await fs.mkdir(path, { recursive: true });
  },
  readdir: (path) => fs.readdir(path),
  readFile: (path) => fs.readFile(path),
  writeFile: (path, data) => fs.writeFile(path, data),
};

/** Stats of `path`, or undefined when it does not exist. */
export async function statIfExists(files: LocalFiles, path: string): Promise<Stats | undefined> {
  try {
    return await files.stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** SHA-256 (hex) of the first `size` bytes of an open file, read in 1 MiB blocks. */
export async function sha256OfHandle(handle: LocalHandle, size: number): Promise<string> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(Math.min(size, 1024 * 1024) || 1);
  for (let position = 0; position < size;) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - position), position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hash.digest('hex');
}

/** Writes all of `data` at `position` (a short write is continued). */
export async function writeFully(handle: LocalHandle, data: Buffer, position: number): Promise<void> {
  for (let offset = 0; offset < data.length;) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset, position + offset);
    offset += bytesWritten;
  }
}
