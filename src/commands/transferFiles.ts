import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConnectEnvironment, HostRequest } from '../connect/prepareSshHost';
import type { ProxyInstall } from '../proxy/proxyArgv';
import { localSshConfigPaths } from '../ssh/config/sshConfigPaths';
import { remoteResourceOf } from '../targets/remoteResource';
import type { ResolvedTarget, SshTarget } from '../targets/sshTarget';
import { homeFolder, nodeNameOf } from '../targets/sshTarget';
import { targetAlias } from '../targets/targetAlias';
import type { RemoteEntry } from '../transfer/remoteLink';
import { TargetHost, copiedMessage } from '../transfer/targetTransfer';
import { RemoteNotAFolderError, TransferCancelledError } from '../transfer/transferErrors';
import type { Direction } from '../transfer/transferPlan';
import { CancellationSource } from '../util/sleep';
import type { Logger } from '../util/logger';
import type { AwsState } from '../vscode/awsState';
import { connectSettings } from '../vscode/connectSettings';
import { remoteSshConfigFile, remoteSshPath } from '../vscode/remoteSsh';
import { transferMaxSessions } from '../vscode/settings';
import type { TransferUi } from '../vscode/transferUi';
import { TreeItemGoneError } from './commandErrors';
import { nodeTargetOf } from './nodeTargets';

export interface TransferDependencies {
  readonly aws: AwsState;
  readonly logger: Logger;
  readonly proxyInstall: () => Promise<ProxyInstall>;
  readonly transferUi: () => TransferUi;
}

/** What a Download… / Upload… did: undefined when a dialog was dismissed. */
export interface TransferOutcome {
  readonly direction: Direction;
  readonly alias: string;
  /** Where the copies are: local paths for a download, remote ones for an upload. */
  readonly targets: readonly string[];
  readonly files: number;
  readonly bytes: number;
  readonly cancelled: boolean;
}

export const REVEAL = 'Reveal in Explorer';
export const OPEN = 'Open';

/**
 * Where Download… starts: a training job's model folder (what a job produces, and what SageMaker
 * uploads to S3 at the end), a Studio app's home folder (where notebooks and results are).
 */
export function defaultDownloadPath(target: ResolvedTarget): string {
  return target.kind === 'trainingNode' ? '/opt/ml/model' : homeFolder(target);
}

function defaultLocalFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return folder?.uri ?? vscode.Uri.file(os.homedir());
}

function targetName(target: SshTarget): string {
  if (target.kind === 'payloadResource') return `${nodeNameOf(target) ?? 'algo-1'} of ${target.name}`;
  if (target.kind === 'hyperPodNode') return `${target.instanceId} of ${target.clusterName}`;
  if (target.kind === 'remoteDebugNode') return `algo-${target.node ?? 1} of ${target.jobName}`;
  if (target.kind === 'studioSpace') return `space ${target.spaceName}`;
  return target.kind === 'trainingNode'
    ? `${nodeNameOf(target) ?? 'algo-1'} of ${target.jobName}`
    : `${target.appName} (${target.ownerName})`;
}

async function connectEnvironment(deps: TransferDependencies): Promise<ConnectEnvironment> {
  const [connection, install] = await Promise.all([deps.aws.connection(), deps.proxyInstall()]);
  return {
    connection,
    install,
    configPaths: localSshConfigPaths(remoteSshConfigFile()),
    logger: deps.logger,
    sshPath: remoteSshPath(),
  };
}

/** Prepares the host (as Connect does the first time) and looks up the remote path, under a progress. */
async function openAndLookUp(
  deps: TransferDependencies,
  target: SshTarget,
  remotePath: string,
  seen: HostRequest['seen'],
): Promise<{ host: TargetHost; entry: RemoteEntry }> {
  const env = await connectEnvironment(deps);
  const alias = targetAlias(target);
  return deps.transferUi().withProgress(`SageMaker SSH: ${alias}`, async (report, signal) => {
    const cancellation = new CancellationSource();
    signal.addEventListener('abort', () => cancellation.cancel(), { once: true });
    report('Preparing the host…', 0);
    let host: TargetHost | undefined;
    try {
      host = await TargetHost.open(env, target, {
        waitSeconds: connectSettings().waitSeconds,
        onWaiting: (message) => report(message, 0),
        seen,
        signal: cancellation,
      });
      report(`Looking up ${remotePath}…`, 0);
      return { host, entry: await host.lookUp(remotePath, signal) };
    } catch (error) {
      host?.close();
      if (signal.aborted) throw new TransferCancelledError();
      throw error instanceof Error && '$metadata' in error ? env.connection.translate(error) : error;
    }
  });
}

/** AWS calls' failures (StartSession denied…) get the usual advice; our typed errors pass as they are. */
async function translated(error: unknown, deps: TransferDependencies): Promise<unknown> {
  return error instanceof Error && '$metadata' in error
    ? (await deps.aws.connection()).translate(error)
    : error;
}

async function cancelled(ui: TransferUi, direction: Direction, alias: string): Promise<TransferOutcome> {
  const verb = direction === 'download' ? 'Download' : 'Upload';
  await ui.notify(
    `${verb} cancelled. Nothing was written under the target name; what was copied is kept next to it as ` +
      `*.sm-ssh-partial, so ${verb}… of the same path resumes.`,
  );
  return { direction, alias, targets: [], files: 0, bytes: 0, cancelled: true };
}

async function download(
  deps: TransferDependencies,
  target: SshTarget,
  remotePath: string,
  seen?: HostRequest['seen'],
): Promise<TransferOutcome | undefined> {
  const ui = deps.transferUi();
  const alias = targetAlias(target);
  let opened: { host: TargetHost; entry: RemoteEntry };
  try {
    opened = await openAndLookUp(deps, target, remotePath, seen);
  } catch (error) {
    if (error instanceof TransferCancelledError) return cancelled(ui, 'download', alias);
    throw error;
  }
  const { host, entry } = opened;
  const name = path.posix.basename(remotePath) || 'download';
  const folder = entry.kind === 'directory';
  const chosen = folder
    ? await ui.chooseFolder(defaultLocalFolder(), `Download ${remotePath} from ${alias} into`)
    : await ui.chooseSaveFile(
        vscode.Uri.joinPath(defaultLocalFolder(), name),
        `Save ${remotePath} from ${alias} as`,
      );
  if (!chosen) {
    host.close();
    return undefined;
  }
  const localPath = chosen.fsPath;
  const placed = folder ? path.join(localPath, name) : localPath;
  try {
    const outcome = await ui.withProgress(`SageMaker SSH: downloading ${remotePath}`, (report, signal) =>
      host.copy({
        direction: 'download',
        remotePath,
        localPath,
        recursive: folder,
        maxSessions: transferMaxSessions(),
        signal,
        onProgress: (view) => report(view.line, view.increment),
      }),
    );
    deps.logger.info(`Download ${alias}:${remotePath} → ${placed}: ${outcome.summary}`);
    const message = copiedMessage('download', alias, {
      files: outcome.result.files,
      bytes: outcome.result.bytes,
      elapsedMs: outcome.elapsedMs,
    });
    void offerReveal(ui, message, vscode.Uri.file(placed), folder);
    return {
      direction: 'download',
      alias,
      targets: [placed],
      files: outcome.result.files,
      bytes: outcome.result.bytes,
      cancelled: false,
    };
  } catch (error) {
    if (error instanceof TransferCancelledError) return cancelled(ui, 'download', alias);
    throw await translated(error, deps);
  } finally {
    host.close();
  }
}

async function offerReveal(
  ui: TransferUi,
  message: string,
  placed: vscode.Uri,
  folder: boolean,
): Promise<void> {
  const choice = folder ? await ui.notify(message, REVEAL) : await ui.notify(message, REVEAL, OPEN);
  if (choice === REVEAL) await vscode.commands.executeCommand('revealFileInOS', placed);
  if (choice === OPEN) await vscode.commands.executeCommand('vscode.open', placed);
}

/** Download… on a job (algo-1), a node or a Studio app: asks for the remote path, then where to put it. */
export async function downloadFromItem(
  deps: TransferDependencies,
  item: unknown,
): Promise<TransferOutcome | undefined> {
  const { target, seen } = nodeTargetOf(item, 'Download…');
  const remotePath = await deps.transferUi().askRemotePath({
    title: `Download from ${targetName(target)}`,
    prompt: 'The file or folder in the container (folders are copied with everything in them)',
    value: defaultDownloadPath(target),
  });
  if (remotePath === undefined) return undefined;
  return download(deps, target, remotePath.trim(), seen);
}

/** SageMaker SSH: Download… on a file or folder in the Explorer of a Remote-SSH window on one of our hosts. */
export async function downloadResource(
  deps: TransferDependencies,
  resource: unknown,
): Promise<TransferOutcome | undefined> {
  if (!(resource instanceof vscode.Uri)) throw new TreeItemGoneError('Download…');
  const { target, remotePath } = remoteResourceOf(resource);
  return download(deps, target, remotePath);
}

/** Upload… on a job (algo-1), a node or a Studio app: local files or folders into a remote folder. */
export async function uploadToItem(
  deps: TransferDependencies,
  item: unknown,
): Promise<TransferOutcome | undefined> {
  const { target, seen } = nodeTargetOf(item, 'Upload…');
  const ui = deps.transferUi();
  const sources = await ui.chooseUploads(defaultLocalFolder(), `Upload to ${targetName(target)}`);
  if (!sources || sources.length === 0) return undefined;
  const answer = await ui.askRemotePath({
    title: `Upload to ${targetName(target)}`,
    prompt: 'The folder in the container to upload into',
    value: homeFolder(target),
  });
  if (answer === undefined) return undefined;
  const remoteFolder = answer.trim();
  const alias = targetAlias(target);
  let host: TargetHost;
  try {
    const opened = await openAndLookUp(deps, target, remoteFolder, seen);
    host = opened.host;
    if (opened.entry.kind !== 'directory') {
      host.close();
      throw new RemoteNotAFolderError(alias, remoteFolder);
    }
  } catch (error) {
    if (error instanceof TransferCancelledError) return cancelled(ui, 'upload', alias);
    throw error;
  }
  return uploadAll(deps, ui, host, remoteFolder, sources);
}

async function uploadAll(
  deps: TransferDependencies,
  ui: TransferUi,
  host: TargetHost,
  remoteFolder: string,
  sources: readonly vscode.Uri[],
): Promise<TransferOutcome> {
  const { alias } = host;
  let files = 0;
  let bytes = 0;
  let elapsedMs = 0;
  try {
    await ui.withProgress(`SageMaker SSH: uploading to ${remoteFolder}`, async (report, signal) => {
      for (const [index, source] of sources.entries()) {
        const prefix =
          sources.length > 1 ? `(${index + 1}/${sources.length}) ${path.basename(source.fsPath)}: ` : '';
        const outcome = await host.copy({
          direction: 'upload',
          remotePath: remoteFolder,
          localPath: source.fsPath,
          recursive: true,
          maxSessions: transferMaxSessions(),
          signal,
          onProgress: (view) => report(`${prefix}${view.line}`, view.increment / sources.length),
        });
        files += outcome.result.files;
        bytes += outcome.result.bytes;
        elapsedMs += outcome.elapsedMs;
        deps.logger.info(`Upload ${source.fsPath} → ${alias}:${remoteFolder}: ${outcome.summary}`);
      }
    });
  } catch (error) {
    if (error instanceof TransferCancelledError) return cancelled(ui, 'upload', alias);
    throw await translated(error, deps);
  } finally {
    host.close();
  }
  void ui.notify(copiedMessage('upload', alias, { files, bytes, elapsedMs }));
  return {
    direction: 'upload',
    alias,
    targets: sources.map((source) => path.posix.join(remoteFolder, path.basename(source.fsPath))),
    files,
    bytes,
    cancelled: false,
  };
}
