import * as path from 'node:path';
import type { LocalFiles } from './localFiles';
import { statIfExists } from './localFiles';
import type { RemoteEntry, RemoteLink } from './remoteLink';
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

/** A folder's entries as the walk needs them, whichever side the folder is on. */
type ListEntries = (folder: string) => Promise<RemoteEntry[]>;

/**
 * Every file below `sourceRoot`, paired with its place below `targetRoot`; `folders` gets the target
 * folders to create, parents first. `join` joins paths on each side (posix remotely).
 */
async function walkFolder(
  list: ListEntries,
  roots: { source: string; target: string },
  join: { source: (a: string, b: string) => string; target: (a: string, b: string) => string },
  toJob: (source: string, target: string, entry: RemoteEntry) => FileJob,
): Promise<TransferPlan> {
  const jobs: FileJob[] = [];
  const folders: string[] = [roots.target];
  const walk = async (source: string, target: string): Promise<void> => {
    for (const entry of await list(source)) {
      if (entry.name === '.' || entry.name === '..') continue;
      const sourceChild = join.source(source, entry.name);
      const targetChild = join.target(target, entry.name);
      if (entry.kind === 'directory') {
        folders.push(targetChild);
        await walk(sourceChild, targetChild);
      } else if (entry.kind === 'file') {
        jobs.push(toJob(sourceChild, targetChild, entry));
      }
    }
  };
  await walk(roots.source, roots.target);
  return plan(jobs, folders);
}

/** A local folder's entries, sorted by name, with the kind, size and time the plan needs. */
function localEntries(files: LocalFiles): ListEntries {
  return async (folder) => {
    const entries: RemoteEntry[] = [];
    for (const name of (await files.readdir(folder)).sort()) {
      const stats = await files.stat(path.join(folder, name));
      const kind = stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'other';
      entries.push({ name, kind, size: stats.size, mtimeMs: stats.mtimeMs });
    }
    return entries;
  };
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
  return walkFolder(
    (folder) => link.readdir(folder),
    { source: request.remotePath, target },
    { source: path.posix.join, target: path.join },
    (remotePath, localPath, { size, mtimeMs }) => ({ remotePath, localPath, size, mtimeMs }),
  );
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
  return walkFolder(
    localEntries(files),
    { source: request.localPath, target },
    { source: path.join, target: path.posix.join },
    (localPath, remotePath, { size, mtimeMs }) => ({ remotePath, localPath, size, mtimeMs }),
  );
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
