import type { Logger } from '../util/logger';
import { silentLogger } from '../util/logger';
import { errorMessage } from '../util/errors';
import { FileCopy, localFailure } from './fileCopy';
import type { LocalFiles } from './localFiles';
import { nodeLocalFiles } from './localFiles';
import type { TransferProgress } from './progress';
import type { LinkOpener, RemoteHandle, RemoteLink } from './remoteLink';
import { LinkLostError } from './transferErrors';
import type { Stripe } from './stripes';
import { DEFAULT_MAX_SESSIONS, sessionsFor, stripeSizeFor } from './stripes';
import type { Direction, FileJob, TransferPlan } from './transferPlan';
import { planTransfer } from './transferPlan';
import {
  HostKeyMismatchError,
  LocalNoSpaceError,
  TransferCancelledError,
  TransferFailedError,
} from './transferErrors';

export interface TransferRequest {
  readonly direction: Direction;
  /** The host alias, for messages and the upload sidecar's name. */
  readonly host: string;
  readonly remotePath: string;
  readonly localPath: string;
  readonly recursive?: boolean;
  /** At most this many sessions (default 8); fewer for small files. */
  readonly maxSessions?: number;
  readonly openLink: LinkOpener;
  /** Where upload sidecars are kept. */
  readonly stateDir: string;
  readonly files?: LocalFiles;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TransferProgress) => void;
  /** Called when the number of open sessions changes. */
  readonly onSessions?: (open: number) => void;
  readonly log?: Logger;
  /** New sessions a worker opens after losing one before it gives up (default 3 in a row). */
  readonly maxReopens?: number;
}

export interface TransferResult {
  readonly bytes: number;
  readonly files: number;
  /** The most sessions open at once. */
  readonly sessions: number;
  /** Bytes that were already there from an interrupted earlier run. */
  readonly resumedBytes: number;
}

type Work = { kind: 'stripe'; copy: FileCopy; stripe: Stripe } | { kind: 'finish'; copy: FileCopy };

/** Whether an error means "this connection is gone" (retry elsewhere) rather than a real failure. */
function isLinkLoss(error: unknown, link: RemoteLink | undefined): boolean {
  return error instanceof LinkLostError || (link?.isClosed ?? false);
}

/**
 * Hands out stripes of the files, one file after another (a file is opened when its first stripe
 * is wanted, so a large folder does not hold every file open), takes back stripes of a lost
 * session, and ends when nothing is pending or in flight.
 */
class WorkQueue {
  private readonly items: Work[] = [];
  private nextFile = 0;
  private inFlight = 0;
  private opening: Promise<void> | undefined;
  private waiters: (() => void)[] = [];
  failure: unknown;
  private stopped = false;

  constructor(
    private readonly jobs: readonly FileJob[],
    private readonly openFile: (job: FileJob, link: RemoteLink) => Promise<FileCopy>,
  ) {}

  async next(link: RemoteLink): Promise<Work | undefined> {
    for (;;) {
      if (this.failure !== undefined || this.stopped) return undefined;
      const item = this.items.shift();
      if (item) {
        this.inFlight++;
        return item;
      }
      if (this.opening) {
        await this.opening;
        continue;
      }
      if (this.nextFile < this.jobs.length) {
        const job = this.jobs[this.nextFile++]!;
        this.opening = this.openFile(job, link).then(
          (copy) => {
            this.items.push(...copy.pending.map((stripe): Work => ({ kind: 'stripe', copy, stripe })));
            if (copy.claimFinish()) this.items.push({ kind: 'finish', copy });
          },
          (error: unknown) => {
            this.nextFile--;
            throw error;
          },
        );
        try {
          await this.opening;
        } finally {
          this.opening = undefined;
          this.wake();
        }
        continue;
      }
      if (this.inFlight === 0) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  complete(follow?: Work): void {
    if (follow) this.items.unshift(follow);
    this.inFlight--;
    this.wake();
  }

  giveBack(work: Work): void {
    this.items.unshift(work);
    this.inFlight--;
    this.wake();
  }

  /** Cancel: workers get no more work. */
  stop(): void {
    this.stopped = true;
    this.wake();
  }

  fail(error: unknown): void {
    this.failure ??= error;
    this.wake();
  }

  get hasWork(): boolean {
    return this.items.length > 0 || this.nextFile < this.jobs.length || this.inFlight > 0;
  }

  wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/**
 * Copies a file or folder between here and the container over up to N sessions: each stripe goes
 * into `<target>.sm-ssh-partial` in place, a sidecar records finished stripes (a re-run resumes),
 * and the partial file becomes the target only once both SHA-256 sums agree. A lost session's
 * stripes are retried on a new session. Cancel (the signal) and failures leave nothing under the
 * target's name.
 */
export async function runTransfer(request: TransferRequest): Promise<TransferResult> {
  const log = request.log ?? silentLogger;
  const files = request.files ?? nodeLocalFiles;
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort();
  request.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (request.signal?.aborted) controller.abort();
  const links = new Set<RemoteLink>();
  let mostSessions = 0;
  const openLink = async (): Promise<RemoteLink> => {
    if (controller.signal.aborted) throw new TransferCancelledError();
    const link = await request.openLink(controller.signal);
    if (controller.signal.aborted) {
      link.close();
      throw new TransferCancelledError();
    }
    links.add(link);
    mostSessions = Math.max(mostSessions, links.size);
    request.onSessions?.(links.size);
    return link;
  };
  const dropLink = (link: RemoteLink): void => {
    link.close();
    if (links.delete(link)) request.onSessions?.(links.size);
  };
  const copies = new Set<FileCopy>();
  try {
    const first = await openLink();
    const plan = await planTransfer(first, files, {
      direction: request.direction,
      host: request.host,
      remotePath: request.remotePath,
      localPath: request.localPath,
      recursive: request.recursive ?? false,
    });
    const maxSessions = Math.max(1, request.maxSessions ?? DEFAULT_MAX_SESSIONS);
    const sessions = sessionCount(plan, maxSessions);
    log.debug(
      `${request.direction} of ${plan.files.length} file(s), ${plan.totalBytes} bytes over ${sessions} session(s)`,
    );
    await createFolders(request.direction, plan.folders, first, files);
    let bytesDone = 0;
    let filesDone = 0;
    const report = (): void =>
      request.onProgress?.({
        bytesDone,
        bytesTotal: plan.totalBytes,
        filesDone,
        filesTotal: plan.files.length,
      });
    let resumedBytes = 0;
    const queue = new WorkQueue(plan.files, async (job, link) => {
      const stripeSize = stripeSizeFor(job.size, sessionsFor(job.size, maxSessions));
      const copy = await FileCopy.open(
        { direction: request.direction, host: request.host, files, uploadStateDir: request.stateDir },
        link,
        job,
        stripeSize,
      );
      copies.add(copy);
      resumedBytes += copy.resumedBytes;
      bytesDone += copy.resumedBytes;
      report();
      return copy;
    });
    report();
    controller.signal.addEventListener('abort', () => queue.stop(), { once: true });
    const maxReopens = request.maxReopens ?? 3;
    const worker = async (initial: RemoteLink | undefined): Promise<void> => {
      let link = initial;
      let hadLink = initial !== undefined;
      let failures = 0;
      let current: { copy: FileCopy; handle: RemoteHandle } | undefined;
      const release = async (): Promise<void> => {
        const handle = current?.handle;
        current = undefined;
        if (handle && link && !link.isClosed) await handle.close().catch(() => undefined);
      };
      try {
        for (;;) {
          if (!link) {
            try {
              link = await openLink();
              hadLink = true;
            } catch (error) {
              if (controller.signal.aborted || isFatalOpenError(error)) throw error;
              if (++failures > maxReopens) {
                // An extra session that never opened only costs parallelism; the others go on.
                if (!hadLink && initial === undefined) {
                  log.warn(`could not open another session: ${errorMessage(error)}`);
                  return;
                }
                throw error;
              }
              log.info(`opening a session failed (${errorMessage(error)}); trying again`);
              continue;
            }
          }
          const work = await queue.next(link);
          if (!work) return;
          let counted = 0;
          try {
            if (work.kind === 'finish') {
              await release();
              await work.copy.finish(link);
              copies.delete(work.copy);
              filesDone++;
              report();
              queue.complete();
            } else {
              if (current?.copy !== work.copy) {
                await release();
                current = { copy: work.copy, handle: await work.copy.openRemote(link) };
              }
              await work.copy.copyStripe(current.handle, work.stripe, (bytes) => {
                counted += bytes;
                bytesDone += bytes;
                report();
              });
              await work.copy.stripeDone(work.stripe);
              queue.complete(work.copy.claimFinish() ? { kind: 'finish', copy: work.copy } : undefined);
            }
            failures = 0;
          } catch (error) {
            bytesDone -= counted;
            queue.giveBack(work);
            if (controller.signal.aborted || !isLinkLoss(error, link)) throw error;
            log.info(`session ${link.id} was lost (${errorMessage(error)}); continuing on a new one`);
            current = undefined;
            dropLink(link);
            link = undefined;
            if (++failures > maxReopens) throw error;
          }
        }
      } catch (error) {
        if (!request.signal?.aborted && queue.failure === undefined) {
          queue.fail(error);
          controller.abort();
        }
        throw error;
      } finally {
        await release();
        if (link) dropLink(link);
      }
    };
    const workers = [worker(first), ...Array.from({ length: sessions - 1 }, () => worker(undefined))];
    const outcomes = await Promise.allSettled(workers);
    if (request.signal?.aborted) throw new TransferCancelledError();
    if (queue.failure !== undefined) throw queue.failure;
    if (queue.hasWork) {
      const lastError = outcomes.find((outcome) => outcome.status === 'rejected') as
        PromiseRejectedResult | undefined;
      throw new TransferFailedError(
        request.host,
        errorMessage(lastError?.reason ?? 'every session was lost'),
        lastError?.reason,
      );
    }
    return { bytes: plan.totalBytes, files: plan.files.length, sessions: mostSessions, resumedBytes };
  } catch (error) {
    controller.abort();
    const failure = request.signal?.aborted ? new TransferCancelledError() : error;
    await cleanUp(copies, failure, links);
    if (failure instanceof LinkLostError)
      throw new TransferFailedError(request.host, failure.message, failure);
    throw failure;
  } finally {
    request.signal?.removeEventListener('abort', onOuterAbort);
    for (const link of [...links]) dropLink(link);
  }
}

/** Failures a new session cannot fix: the wrong host key, or the user cancelled. */
function isFatalOpenError(error: unknown): boolean {
  return error instanceof HostKeyMismatchError || error instanceof TransferCancelledError;
}

/** One session per file up to the limit for folders of many files; striping for one large file. */
function sessionCount(plan: TransferPlan, maxSessions: number): number {
  const bySize = sessionsFor(plan.totalBytes, maxSessions);
  const byFiles = Math.min(maxSessions, Math.max(1, plan.files.length));
  return plan.files.length > 1 ? Math.max(bySize, byFiles) : bySize;
}

async function createFolders(
  direction: Direction,
  folders: readonly string[],
  link: RemoteLink,
  files: LocalFiles,
): Promise<void> {
  for (const folder of folders) {
    if (direction === 'upload') await link.mkdir(folder);
    else {
      try {
        await files.mkdir(folder);
      } catch (error) {
        throw localFailure(error, folder, 0);
      }
    }
  }
}

/** Partial files stay for a resume, except when the disk is full (they take the space). */
async function cleanUp(copies: Set<FileCopy>, failure: unknown, links: Set<RemoteLink>): Promise<void> {
  const live = [...links].find((link) => !link.isClosed);
  for (const copy of copies) {
    if (failure instanceof LocalNoSpaceError) await copy.discard(live);
    else await copy.closeLocal();
  }
}
