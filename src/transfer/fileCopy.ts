import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { LocalFiles, LocalHandle } from './localFiles';
import { sha256OfHandle, statIfExists, writeFully } from './localFiles';
import type { RemoteHandle, RemoteLink } from './remoteLink';
import { SidecarWriter, loadDoneStripes } from './resumeSidecar';
import type { Stripe } from './stripes';
import { blocksOf, planStripes } from './stripes';
import type { Direction, FileJob } from './transferPlan';
import {
  ChecksumMismatchError,
  LocalNoSpaceError,
  LocalPermissionDeniedError,
  RemoteChecksumError,
} from './transferErrors';

export const PARTIAL_SUFFIX = '.sm-ssh-partial';
export const SIDECAR_SUFFIX = '.sm-ssh-partial.json';
/**
 * One SFTP read or write. 128 KiB rather than 64: every block costs a request, a local write and a
 * wake-up of their own, which a paced download (under 1 MB/s a session) feels more than its bytes.
 */
export const BLOCK_BYTES = 128 * 1024;
/** SFTP requests in flight per stripe (1 MiB): enough to keep one paced session busy through a read hold. */
const PIPELINE_DEPTH = 8;

/** A local I/O failure as the typed error the user should see. */
export function localFailure(error: unknown, localPath: string, bytesNeeded: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new LocalNoSpaceError(localPath, bytesNeeded, error);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new LocalPermissionDeniedError(localPath, error);
  return error;
}

export interface CopyContext {
  readonly direction: Direction;
  readonly host: string;
  readonly files: LocalFiles;
  /** Where upload sidecars live (downloads keep theirs next to the partial file). */
  readonly uploadStateDir: string;
}

/**
 * One file being copied: its stripes, the partial file they are written into, the sidecar of
 * finished stripes, and the final step (SHA-256 both ends, then the rename onto the target).
 */
export class FileCopy {
  readonly stripes: Stripe[];
  readonly pending: Stripe[];
  readonly partialPath: string;
  private readonly done: Set<number>;
  private local: LocalHandle | undefined;
  private sidecar: SidecarWriter | undefined;
  private finishClaimed = false;

  private constructor(
    private readonly context: CopyContext,
    readonly job: FileJob,
    readonly stripeSize: number,
    done: Set<number>,
    local: LocalHandle,
    sidecar: SidecarWriter | undefined,
  ) {
    this.stripes = planStripes(job.size, stripeSize);
    this.done = done;
    this.pending = this.stripes.filter((stripe) => !done.has(stripe.index));
    this.partialPath = (context.direction === 'download' ? job.localPath : job.remotePath) + PARTIAL_SUFFIX;
    this.local = local;
    this.sidecar = sidecar;
  }

  /** Bytes already in the partial file from an earlier run. */
  get resumedBytes(): number {
    return this.stripes.filter((s) => this.done.has(s.index)).reduce((sum, s) => sum + s.end - s.start, 0);
  }

  get isComplete(): boolean {
    return this.done.size === this.stripes.length;
  }

  /** True once, for the caller that gets to queue the final step after the last stripe. */
  claimFinish(): boolean {
    if (!this.isComplete || this.finishClaimed) return false;
    this.finishClaimed = true;
    return true;
  }

  /** Opens the partial file (resuming a matching earlier one) and the local side. */
  static async open(
    context: CopyContext,
    link: RemoteLink,
    job: FileJob,
    stripeSize: number,
  ): Promise<FileCopy> {
    const source = `${context.direction}|${job.remotePath}|${job.localPath}|${job.size}|${job.mtimeMs}`;
    const { files } = context;
    if (context.direction === 'download') {
      const partial = job.localPath + PARTIAL_SUFFIX;
      const sidecarPath = job.localPath + SIDECAR_SUFFIX;
      try {
        const existing = await statIfExists(files, partial);
        const done =
          existing?.size === job.size
            ? await loadDoneStripes(files, sidecarPath, source, stripeSize)
            : new Set<number>();
        await files.mkdir(path.dirname(job.localPath));
        const local = await files.open(partial, done.size > 0 ? 'r+' : 'w+');
        if (done.size === 0) await local.truncate(job.size);
        const sidecar = new SidecarWriter(files, sidecarPath, source, stripeSize, done);
        return new FileCopy(context, job, stripeSize, done, local, sidecar);
      } catch (error) {
        throw localFailure(error, job.localPath, job.size);
      }
    }
    const partial = job.remotePath + PARTIAL_SUFFIX;
    const key = createHash('sha256').update(`${context.host}\n${job.remotePath}`).digest('hex').slice(0, 32);
    const sidecarPath = path.join(context.uploadStateDir, `${key}.json`);
    // The remote partial grows as stripes land: the sidecar (tied to this source) says which did.
    const existing = await link.stat(partial);
    const done =
      existing?.kind === 'file'
        ? await loadDoneStripes(files, sidecarPath, source, stripeSize)
        : new Set<number>();
    const created = await link.openWrite(partial, done.size === 0);
    await created.close();
    const local = await files.open(job.localPath, 'r');
    await files.mkdir(context.uploadStateDir);
    const sidecar = new SidecarWriter(files, sidecarPath, source, stripeSize, done);
    return new FileCopy(context, job, stripeSize, done, local, sidecar);
  }

  /** The remote file a link works on for this copy (the source, or the partial upload). */
  remoteWorkPath(): string {
    return this.context.direction === 'download' ? this.job.remotePath : this.partialPath;
  }

  openRemote(link: RemoteLink): Promise<RemoteHandle> {
    return this.context.direction === 'download'
      ? link.openRead(this.job.remotePath)
      : link.openWrite(this.partialPath, false);
  }

  /** Copies one stripe through `remote`, reporting bytes as blocks land. */
  async copyStripe(remote: RemoteHandle, stripe: Stripe, onBytes: (bytes: number) => void): Promise<void> {
    const local = this.local!;
    const blocks = blocksOf(stripe, BLOCK_BYTES);
    let next = 0;
    const lane = async (): Promise<void> => {
      // One buffer per lane, reused: a block is written out (or acknowledged) before the next is read.
      const laneBuffer = Buffer.allocUnsafe(BLOCK_BYTES);
      while (next < blocks.length) {
        const block = blocks[next++]!;
        const buffer = laneBuffer.subarray(0, block.length);
        if (this.context.direction === 'download') {
          for (let got = 0; got < block.length;) {
            const read = await remote.read(buffer.subarray(got), block.length - got, block.offset + got);
            if (read === 0)
              throw new RemoteChecksumError(
                this.context.host,
                this.job.remotePath,
                'the file got shorter while it was copied',
              );
            got += read;
          }
          try {
            await writeFully(local, buffer, block.offset);
          } catch (error) {
            throw localFailure(error, this.job.localPath, this.job.size);
          }
        } else {
          for (let got = 0; got < block.length;) {
            const { bytesRead } = await local.read(buffer, got, block.length - got, block.offset + got);
            if (bytesRead === 0)
              throw new ChecksumMismatchError(
                this.job.localPath,
                'its size when the copy started',
                'a shorter file',
              );
            got += bytesRead;
          }
          await remote.write(buffer, block.offset);
        }
        onBytes(block.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PIPELINE_DEPTH, blocks.length) }, lane));
  }

  async stripeDone(stripe: Stripe): Promise<void> {
    this.done.add(stripe.index);
    if (this.stripes.length > 1 && !this.isComplete) await this.sidecar?.markDone(stripe.index);
  }

  /**
   * Verifies SHA-256 on both ends and renames the partial file onto the target. A mismatch
   * discards the copy.
   */
  async finish(link: RemoteLink): Promise<void> {
    const local = this.local!;
    const { job, context } = this;
    if (context.direction === 'download') {
      try {
        await local.sync();
      } catch (error) {
        throw localFailure(error, job.localPath, job.size);
      }
      const [localSum, remoteSum] = await Promise.all([
        sha256OfHandle(local, job.size),
        link.sha256(job.remotePath),
      ]);
      await this.closeLocal();
      if (localSum !== remoteSum) {
        await this.discard();
        throw new ChecksumMismatchError(`${context.host}:${job.remotePath}`, remoteSum, localSum);
      }
      await context.files.rename(this.partialPath, job.localPath);
    } else {
      const [localSum, remoteSum] = await Promise.all([
        sha256OfHandle(local, job.size),
        link.sha256(this.partialPath),
      ]);
      await this.closeLocal();
      if (localSum !== remoteSum) {
        await this.discard(link);
        throw new ChecksumMismatchError(job.localPath, localSum, remoteSum);
      }
      await link.rename(this.partialPath, job.remotePath);
    }
    await this.sidecar?.remove();
  }

  /** Deletes the partial file and its sidecar (a failed verification, no space left). */
  async discard(link?: RemoteLink): Promise<void> {
    await this.closeLocal();
    if (this.context.direction === 'download') await this.context.files.remove(this.partialPath);
    else if (link && !link.isClosed) await link.remove(this.partialPath).catch(() => undefined);
    await this.sidecar?.remove();
  }

  async closeLocal(): Promise<void> {
    const local = this.local;
    this.local = undefined;
    await local?.close().catch(() => undefined);
  }
}
