import * as vscode from 'vscode';
import type { SpaceOperationResult } from '../operations/spaceLifecycle';
import { startInstanceType, startSpace, stopSpace } from '../operations/spaceLifecycle';
import {
  DEFAULT_REMOTE_ACCESS_INSTANCE_TYPE,
  describeSpaceState,
  supportsRemoteAccess,
} from '../sagemaker/studioSpaces';
import type { StudioSpaceTarget } from '../targets/studioSpace';
import { studioSpaceTarget } from '../targets/studioSpace';
import { UserFacingError } from '../util/errors';
import type { Logger } from '../util/logger';
import { CancellationSource } from '../util/sleep';
import type { Explorer } from '../views/registerViews';
import { StudioOwnerNode } from '../views/nodes/studioOwnerNode';
import type { AwsState } from '../vscode/awsState';
import { repinStartedSpace } from '../connect/prepareSpaceHost';
import type { ProxyInstall } from '../proxy/proxyArgv';
import { localSshConfigPaths } from '../ssh/config/sshConfigPaths';
import { remoteSshConfigFile } from '../vscode/remoteSsh';
import { TreeItemGoneError } from './commandErrors';

export class NotASpaceItemError extends UserFacingError {
  readonly code = 'NotASpaceItem';
  constructor(command: string) {
    super(`${command} works on a Studio space in the SageMaker SSH Studio view.`);
  }
}

export interface SpaceCommandOptions {
  /** Start Space: the instance type, instead of asking when the space's own cannot run remote access. */
  readonly instanceType?: string;
  /** How long between DescribeApp polls (tests). */
  readonly pollMs?: number;
}

export interface SpaceCommandDependencies {
  readonly aws: AwsState;
  /** Where the ProxyCommand's state (our keys, space ARNs) lives. */
  readonly proxyInstall: () => Promise<ProxyInstall>;
  readonly explorer: Explorer;
  readonly logger: Logger;
}

/** Instance types offered when a space's own cannot run remote access (8 GiB of memory or more). */
const OFFERED_INSTANCE_TYPES = [
  'ml.m5.large',
  'ml.m5.xlarge',
  'ml.m5.2xlarge',
  'ml.g5.xlarge',
  'ml.g5.2xlarge',
];

export function spaceTargetOf(item: unknown, command: string): StudioSpaceTarget {
  if (item === undefined) throw new TreeItemGoneError(command);
  if (item instanceof StudioOwnerNode && item.entry.owner.kind === 'space') {
    return studioSpaceTarget(item.entry.owner.domainId, item.entry.owner.name);
  }
  throw new NotASpaceItemError(command);
}

async function askInstanceType(current: string): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    OFFERED_INSTANCE_TYPES.map((type) => ({
      label: type,
      description: type === DEFAULT_REMOTE_ACCESS_INSTANCE_TYPE ? 'recommended' : undefined,
    })),
    {
      title: `${current} does not support remote access: run the space on`,
      placeHolder: 'Instance type (billed while the space runs)',
    },
  );
  return picked?.label;
}

async function withSpaceProgress(
  title: string,
  run: (cancellation: CancellationSource, report: (message: string) => void) => Promise<SpaceOperationResult>,
): Promise<SpaceOperationResult> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const cancellation = new CancellationSource();
      const subscription = token.onCancellationRequested(() => cancellation.cancel());
      try {
        return await run(cancellation, (message) => progress.report({ message }));
      } finally {
        subscription.dispose();
      }
    },
  );
}

/**
 * Start Space: remote access on, the app started on an instance type that supports it (asked for
 * when the space's own does not), waited for with a cancellable progress notification.
 */
export async function startSpaceCommand(
  deps: SpaceCommandDependencies,
  item: unknown,
  options: SpaceCommandOptions = {},
): Promise<SpaceOperationResult | undefined> {
  const target = spaceTargetOf(item, 'Start Space');
  const connection = await deps.aws.connection();
  const sagemaker = await connection.clients.sagemaker();
  let instanceType = options.instanceType;
  if (instanceType === undefined) {
    const state = await describeSpaceState(sagemaker, target).catch((error: unknown) => {
      throw connection.translate(error);
    });
    const current = startInstanceType(state);
    if (current !== undefined && !supportsRemoteAccess(current)) {
      instanceType = await askInstanceType(current);
      if (instanceType === undefined) return undefined;
    }
  }
  const result = await withSpaceProgress(`Starting Studio space ${target.spaceName}`, (signal, report) =>
    startSpace(sagemaker, target, {
      surface: 'extension',
      instanceType,
      signal,
      onProgress: report,
      pollMs: options.pollMs,
    }).catch((error: unknown) => {
      throw connection.translate(error);
    }),
  );
  deps.logger.info(
    `Start Space ${target.spaceName}: ${result.kind === 'already' ? 'already running' : 'running'}`,
  );
  if (result.kind === 'done') {
    const install = await deps.proxyInstall();
    await repinStartedSpace(
      {
        connection,
        logger: deps.logger,
        stateDir: install.stateDir,
        knownHostsPath: localSshConfigPaths(remoteSshConfigFile()).knownHosts,
      },
      target,
      result.state.arn,
      'extension',
    ).catch((error: unknown) => {
      throw connection.translate(error);
    });
  }
  await deps.explorer.studio.refresh();
  return result;
}

/** Stop Space: DeleteApp of the space's app, waited for with a cancellable progress notification. */
export async function stopSpaceCommand(
  deps: SpaceCommandDependencies,
  item: unknown,
  options: SpaceCommandOptions = {},
): Promise<SpaceOperationResult> {
  const target = spaceTargetOf(item, 'Stop Space');
  const connection = await deps.aws.connection();
  const sagemaker = await connection.clients.sagemaker();
  const result = await withSpaceProgress(`Stopping Studio space ${target.spaceName}`, (signal, report) =>
    stopSpace(sagemaker, target, {
      surface: 'extension',
      signal,
      onProgress: report,
      pollMs: options.pollMs,
    }).catch((error: unknown) => {
      throw connection.translate(error);
    }),
  );
  deps.logger.info(
    `Stop Space ${target.spaceName}: ${result.kind === 'already' ? 'was not running' : 'stopped'}`,
  );
  await deps.explorer.studio.refresh();
  return result;
}
