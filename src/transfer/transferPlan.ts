import * as path from 'node:path';
import type { LocalFiles } from './localFiles';
import { statIfExists } from './localFiles';
import type { RemoteLink } from './remoteLink';
import { LocalPathNotFoundError, NotAFileError, RemotePathNotFoundError } from './transferErrors';

/** One file to copy: where it comes from and goes to, its size and modification time. */
export interface FileJob {
  readonly remotePath: string;
  readonly localPath: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface TransferPlan {
  readonly files: readonly FileJob[];
  /** Folders to create first (local for downloads, remote for uploads), parents before children. */
  readonly folders: readonly string[];
  readonly totalBytes: number;
}

export type Direction = 'download' | 'upload';

export interface PlanRequest {
  readonly direction: Direction;
  readonly host: string;
  readonly remotePath: string;
  readonly localPath: string;
  readonly recursive: boolean;
}

function plan(files: FileJob[], folders: string[]): TransferPlan {
  return { files, folders, totalBytes: files.reduce((sum, file) => sum + file.size, 0) };
}

/** Like cp: copying into an existing folder puts the source inside it under its own name. */
async function downloadPlan(
  link: RemoteLink,
  files: LocalFiles,
  request: PlanRequest,
): Promise<TransferPlan> {
  const source = await link.stat(request.remotePath);
  if (!source) throw new RemotePathNotFoundError(request.host, request.remotePath);
  const existing = await statIfExists(files, request.localPath);
  const target = existing?.isDirectory()
    ? path.join(request.localPath, path.posix.basename(request.remotePath))
    : request.localPath;
  if (source.kind === 'file') {
    return plan(
      [{ remotePath: request.remotePath, localPath: target, size: source.size, mtimeMs: source.mtimeMs }],
      [],
    );
  }
  if (source.kind !== 'directory' || !request.recursive)
    throw new NotAFileError(`${request.host}:${request.remotePath}`);
  const jobs: FileJob[] = [];
  const folders: string[] = [target];
  const walk = async (remote: string, local: string): Promise<void> => {
    for (const entry of await link.readdir(remote)) {
      if (entry.name === '.' || entry.name === '..') continue;
      const remoteChild = path.posix.join(remote, entry.name);
      const localChild = path.join(local, entry.name);
      if (entry.kind === 'directory') {
        folders.push(localChild);
        await walk(remoteChild, localChild);
      } else if (entry.kind === 'file') {
        jobs.push({
          remotePath: remoteChild,
          localPath: localChild,
          size: entry.size,
          mtimeMs: entry.mtimeMs,
        });
      }
    }
  };
  await walk(request.remotePath, target);
  return plan(jobs, folders);
}

async function uploadPlan(link: RemoteLink, files: LocalFiles, request: PlanRequest): Promise<TransferPlan> {
  const source = await statIfExists(files, request.localPath);
  if (!source) throw new LocalPathNotFoundError(request.localPath);
  const existing = await link.stat(request.remotePath);
  const target =
    existing?.kind === 'directory'
      ? path.posix.join(request.remotePath, path.basename(request.localPath))
      : request.remotePath;
  if (source.isFile()) {
    return plan(
      [{ remotePath: target, localPath: request.localPath, size: source.size, mtimeMs: source.mtimeMs }],
      [],
    );
  }
  if (!source.isDirectory() || !request.recursive) throw new NotAFileError(request.localPath);
  const jobs: FileJob[] = [];
  const folders: string[] = [target];
  const walk = async (local: string, remote: string): Promise<void> => {
    for (const name of (await files.readdir(local)).sort()) {
      const localChild = path.join(local, name);
      const remoteChild = path.posix.join(remote, name);
      const stats = await files.stat(localChild);
      if (stats.isDirectory()) {
        folders.push(remoteChild);
        await walk(localChild, remoteChild);
      } else if (stats.isFile()) {
        jobs.push({
          remotePath: remoteChild,
          localPath: localChild,
          size: stats.size,
          mtimeMs: stats.mtimeMs,
        });
      }
    }
  };
  await walk(request.localPath, target);
  return plan(jobs, folders);
}

/** What to copy: stats the source (and the target, to tell a folder to copy into), walks folders. */
export function planTransfer(
  link: RemoteLink,
  files: LocalFiles,
  request: PlanRequest,
): Promise<TransferPlan> {
  return request.direction === 'download'
    ? downloadPlan(link, files, request)
    : uploadPlan(link, files, request);
}
