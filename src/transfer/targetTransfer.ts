import * as path from 'node:path';
import type { ConnectEnvironment, HostRequest } from '../connect/prepareSshHost';
import { prepareSshHost } from '../connect/prepareSshHost';
import type { SshTarget } from '../targets/sshTarget';
import { targetAlias } from '../targets/targetAlias';
import type { CancellationSignal } from '../util/sleep';
import type { ProgressView, TransferProgress } from './progress';
import { ProgressTracker, formatBytes, summaryLine } from './progress';
import type { LinkOpener, RemoteEntry, RemoteLink } from './remoteLink';
import { runTransfer } from './transfer';
import type { TransferResult } from './transfer';
import { RemotePathNotFoundError } from './transferErrors';
import { prepareTransferHost } from './transferHost';
import type { Direction } from './transferPlan';

export interface TargetHostOptions {
  /** The alias as the user typed it (default: the target's canonical alias). */
  readonly alias?: string;
  /** How long a first preparation waits for the container to come online (seconds). */
  readonly waitSeconds?: number;
  readonly onWaiting?: (message: string) => void;
  /** The registrations a tree showed for the target (Connect's "recently seen" rule). */
  readonly seen?: HostRequest['seen'];
  readonly signal?: CancellationSignal;
}

export interface CopyRequest {
  readonly direction: Direction;
  readonly remotePath: string;
  readonly localPath: string;
  readonly recursive: boolean;
  readonly maxSessions: number;
  readonly signal?: AbortSignal;
  /** Each progress report with the shared maths (line, percentage, increment) applied. */
  readonly onProgress?: (view: ProgressView, progress: TransferProgress) => void;
  /** Milliseconds; default performance.now (tests pass their own clock). */
  readonly now?: () => number;
}

export interface CopyOutcome {
  readonly result: TransferResult;
  readonly progress: TransferProgress;
  readonly elapsedMs: number;
  /** `copied 256.0 MiB (1 file) in 0:31, 8.6 MB/s over 8 sessions`. */
  readonly summary: string;
}

/**
 * A container ready for transfers, for the CLI's `cp` and the extension's Download… / Upload…: the
 * host prepared as Connect prepares it when it was never connected (else the ProxyCommand's cheap
 * check), a lookup of a remote path, and copies. A link opened by `lookUp` is reused by the next copy.
 */
export class TargetHost {
  private spare: RemoteLink | undefined;

  private constructor(
    readonly alias: string,
    private readonly openLink: LinkOpener,
    private readonly stateDir: string,
  ) {}

  static async open(
    env: ConnectEnvironment,
    target: SshTarget,
    options: TargetHostOptions = {},
  ): Promise<TargetHost> {
    const alias = options.alias ?? targetAlias(target);
    const host = await prepareTransferHost({
      connection: env.connection,
      stateDir: env.install.stateDir,
      knownHostsPath: env.configPaths.knownHosts,
      alias,
      target,
      logger: env.logger,
      prepare: async () => {
        env.logger.info(`${alias} was never connected: installing the key and pinning its host keys first`);
        const prepared = await prepareSshHost(env, {
          target,
          waitSeconds: options.waitSeconds ?? 600,
          onWaiting: options.onWaiting,
          seen: options.seen,
          signal: options.signal,
        });
        return prepared.ready;
      },
    });
    return new TargetHost(alias, host.openLink, path.join(env.install.stateDir, 'transfers'));
  }

  /** A host reached through `openLink` as it is (no preparation): for tests and callers that hold links. */
  static overLinks(alias: string, openLink: LinkOpener, stateDir: string): TargetHost {
    return new TargetHost(alias, openLink, stateDir);
  }

  /** What is at `remotePath` in the container; RemotePathNotFoundError when nothing is. */
  async lookUp(remotePath: string, signal: AbortSignal): Promise<RemoteEntry> {
    const link = this.spare && !this.spare.isClosed ? this.spare : await this.openLink(signal);
    this.spare = link;
    const entry = await link.stat(remotePath);
    if (!entry) throw new RemotePathNotFoundError(this.alias, remotePath);
    return entry;
  }

  /** Copies with runTransfer, the shared progress maths applied to each report. */
  async copy(request: CopyRequest): Promise<CopyOutcome> {
    const now = request.now ?? ((): number => performance.now());
    const tracker = new ProgressTracker();
    const started = now();
    let progress: TransferProgress = { bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0 };
    const result = await runTransfer({
      direction: request.direction,
      host: this.alias,
      remotePath: request.remotePath,
      localPath: request.localPath,
      recursive: request.recursive,
      maxSessions: request.maxSessions,
      openLink: (signal) => this.takeSpare() ?? this.openLink(signal),
      stateDir: this.stateDir,
      signal: request.signal,
      onProgress: (next) => {
        progress = next;
        request.onProgress?.(tracker.update(next, now()), next);
      },
    });
    const elapsedMs = now() - started;
    progress = { ...progress, bytesDone: result.bytes, filesDone: result.files };
    return { result, progress, elapsedMs, summary: summaryLine(progress, elapsedMs, result.sessions) };
  }

  /** Closes a looked-up link no copy took. */
  close(): void {
    this.takeSpare()?.then((link) => link.close());
  }

  private takeSpare(): Promise<RemoteLink> | undefined {
    const link = this.spare;
    this.spare = undefined;
    return link && !link.isClosed ? Promise.resolve(link) : undefined;
  }
}

/** `Downloaded 3 files (1.5 MiB) from <alias> in 2.1 s`: the notification after a copy. */
export function copiedMessage(
  direction: Direction,
  alias: string,
  totals: { readonly files: number; readonly bytes: number; readonly elapsedMs: number },
): string {
  const files = `${totals.files} file${totals.files === 1 ? '' : 's'}`;
  const seconds = (totals.elapsedMs / 1000).toFixed(1);
  return direction === 'download'
    ? `Downloaded ${files} (${formatBytes(totals.bytes)}) from ${alias} in ${seconds} s`
    : `Uploaded ${files} (${formatBytes(totals.bytes)}) to ${alias} in ${seconds} s`;
}
