import * as vscode from 'vscode';
import type { ForwardManager } from '../forward/forwardManager';
import type { Logger } from '../util/logger';
import type { Explorer } from '../views/registerViews';
import { setViewContext } from '../views/viewProblem';
import type { AwsState } from '../vscode/awsState';
import type { DebugHandOff } from '../vscode/debugHandOff';
import type { TransferUi } from '../vscode/transferUi';
import { showError } from '../vscode/showError';
import type { ConnectDependencies } from './connect';
import { connect } from './connect';
import { addSshHelper } from './addSshHelper';
import { attachDebugger } from './attachDebugger';
import type { AttachDebuggerOptions } from './attachDebugger';
import type { AddSshHelperOptions } from './addSshHelper';
import { copyStudioLifecycleConfig } from './copyStudioLifecycleConfig';
import type { CopyLifecycleConfigOptions } from './copyStudioLifecycleConfig';
import { applyFilters, filterTrainingJobs } from './filterTrainingJobs';
import { forwardPort, openForward, stopForward } from './forwardPort';
import type { ForwardPortOptions } from './forwardPort';
import { copyArn, copyName, openInConsole } from './resourceCommands';
import { selectProfile } from './selectProfile';
import { selectRegion } from './selectRegion';
import { showIdentity } from './showIdentity';
import { JobLogViewers, showJobLogs } from './showJobLogs';
import type { ShowJobLogsOptions } from './showJobLogs';
import { stopTrainingJob } from './stopTrainingJob';
import type { StopTrainingJobOptions } from './stopTrainingJob';
import { stopWaiting } from './stopWaiting';
import type { StopWaitingOptions } from './stopWaiting';
import type { ConnectOptions } from './connect';
import { startSpaceCommand, stopSpaceCommand } from './spaceCommands';
import type { SpaceCommandOptions } from './spaceCommands';

export interface CommandDependencies extends ConnectDependencies {
  readonly aws: AwsState;
  /** The extension's folder, where the remote payload (media/remote) is. */
  readonly extensionPath: string;
  readonly explorer: Explorer;
  /** The output channel: the Logger every command writes to, and what Show Log reveals. */
  readonly logger: vscode.LogOutputChannel;
  readonly forwards: ForwardManager;
  /** Starts the debug session of Attach Python Debugger; replaced in extension tests. */
  readonly debugHandOff: () => DebugHandOff;
  /** The dialogs and notifications of Download… / Upload…; replaced in extension tests. */
  readonly transferUi: () => TransferUi;
}

type Handler = (...args: unknown[]) => unknown;

/** Wraps a handler so that every failure reaches the user as an actionable notification. */
function guarded(logger: Logger, handler: Handler): Handler {
  return async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      void showError(error, logger);
      return undefined;
    }
  };
}

async function setShowDeleted(explorer: Explorer, show: boolean): Promise<void> {
  await explorer.state.setShowDeletedApps(show);
  setViewContext('studio.showDeleted', show);
  await explorer.studio.refresh();
}

/** Options objects only; a tree passes its selection array as the second argument. */
function optionsArg<T extends object>(value: unknown): T {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as T) : ({} as T);
}

export function registerCommands(deps: CommandDependencies): vscode.Disposable[] {
  const { aws, explorer } = deps;
  const viewers = new JobLogViewers();
  const commands: Record<string, Handler> = {
    'sagemakerSsh.selectProfile': () => selectProfile(),
    'sagemakerSsh.selectRegion': () => selectRegion(),
    'sagemakerSsh.showIdentity': () => showIdentity(aws),
    'sagemakerSsh.showLog': () => deps.logger.show(),
    'sagemakerSsh.refresh': () => aws.reset(),
    'sagemakerSsh.refreshTrainingJobs': () => explorer.trainingJobs.refresh(),
    'sagemakerSsh.refreshStudio': () => explorer.studio.refresh(),
    'sagemakerSsh.refreshResources': () => explorer.resources.refresh(),
    'sagemakerSsh.refreshHyperPod': () => explorer.hyperPod.refresh(),
    'sagemakerSsh.loadMoreTrainingJobs': () => explorer.trainingJobs.loadMore(),
    'sagemakerSsh.filterTrainingJobs': () => filterTrainingJobs(explorer),
    'sagemakerSsh.clearTrainingJobFilters': () => applyFilters(explorer, {}),
    'sagemakerSsh.showDeletedApps': () => setShowDeleted(explorer, true),
    'sagemakerSsh.hideDeletedApps': () => setShowDeleted(explorer, false),
    'sagemakerSsh.copyName': (node) => copyName(node),
    'sagemakerSsh.copyArn': (node) => copyArn(node),
    'sagemakerSsh.openInConsole': (node) => openInConsole(node),
    'sagemakerSsh.connect': (node, options) => connect(deps, node, optionsArg<ConnectOptions>(options)),
    // Loaded on first use: the session client is not needed at activation.
    'sagemakerSsh.openTerminal': async (node) => (await import('./openTerminal')).openTerminal(deps, node),
    'sagemakerSsh.enableRemoteDebug': async (node) =>
      (await import('./enableRemoteDebug')).enableRemoteDebugCommand(deps, node),
    'sagemakerSsh.startSpace': (node, options) =>
      startSpaceCommand(deps, node, optionsArg<SpaceCommandOptions>(options)),
    'sagemakerSsh.stopSpace': (node, options) =>
      stopSpaceCommand(deps, node, optionsArg<SpaceCommandOptions>(options)),
    'sagemakerSsh.stopWaiting': (node, options) =>
      stopWaiting(deps, node, optionsArg<StopWaitingOptions>(options)),
    'sagemakerSsh.showJobLogs': (node, options) =>
      showJobLogs({ ...deps, viewers }, node, optionsArg<ShowJobLogsOptions>(options)),
    'sagemakerSsh.stopTrainingJob': (node, options) =>
      stopTrainingJob(deps, node, optionsArg<StopTrainingJobOptions>(options)),
    'sagemakerSsh.forwardPort': (node, options) =>
      forwardPort(deps, node, optionsArg<ForwardPortOptions>(options)),
    'sagemakerSsh.attachDebugger': (node, options) =>
      attachDebugger(deps, node, optionsArg<AttachDebuggerOptions>(options)),
    // Loaded on first use, like Open Terminal: the transfer engine (ssh2) is not needed at activation.
    'sagemakerSsh.download': async (node) => (await import('./transferFiles')).downloadFromItem(deps, node),
    'sagemakerSsh.upload': async (node) => (await import('./transferFiles')).uploadToItem(deps, node),
    'sagemakerSsh.downloadResource': async (uri) =>
      (await import('./transferFiles')).downloadResource(deps, uri),
    'sagemakerSsh.openForwardInBrowser': (node) => openForward(node),
    'sagemakerSsh.stopForward': (node) => stopForward(deps, node),
    'sagemakerSsh.addSshHelper': (uri, options) =>
      addSshHelper(deps, uri, optionsArg<AddSshHelperOptions>(options)),
    'sagemakerSsh.copyStudioLifecycleConfig': (options) =>
      copyStudioLifecycleConfig(deps, optionsArg<CopyLifecycleConfigOptions>(options)),
  };
  return [
    viewers,
    ...Object.entries(commands).map(([id, handler]) =>
      vscode.commands.registerCommand(id, guarded(deps.logger, handler)),
    ),
  ];
}
