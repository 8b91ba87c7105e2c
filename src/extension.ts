import * as vscode from 'vscode';
import { AwsAccess } from './aws/awsAccess';
import { registerCommands } from './commands/registerCommands';
import { registerViews } from './views/registerViews';
import type { Explorer } from './views/registerViews';
import { AwsState } from './vscode/awsState';
import type { HandOff } from './vscode/handOff';
import { vscodeHandOff } from './vscode/handOff';
import type { DebugHandOff } from './vscode/debugHandOff';
import { vscodeDebugHandOff } from './vscode/debugHandOff';
import type { TransferUi } from './vscode/transferUi';
import { vscodeTransferUi } from './vscode/transferUi';
import { onErrorShown } from './vscode/showError';
import { ProxyMaintenance } from './vscode/proxyMaintenance';
import { createForwardManager } from './vscode/portForwards';
import type { ForwardManager } from './forward/forwardManager';

/** Returned from activate() only in extension tests, so they can observe the Remote-SSH handoff. */
export interface TestingApi {
  readonly explorer: Explorer;
  setHandOff(handOff: HandOff | undefined): void;
  /** Replaces vscode.debug.startDebugging (and the Python debugger detection) for Attach Python Debugger. */
  setDebugHandOff(handOff: DebugHandOff | undefined): void;
  /** Replaces the dialogs and notifications of Download… / Upload… (the transfer itself stays real). */
  setTransferUi(ui: TransferUi | undefined): void;
  /** Errors shown to the user since activation, newest last. */
  readonly shownErrors: readonly unknown[];
  /** Where keys, hosts.json and the ProxyCommand launcher live. */
  readonly stateDir: string;
  /** The folder of this extension's log (the "SageMaker SSH" output channel's file). */
  readonly logDirectory: string;
  readonly forwards: ForwardManager;
}

/** Stopped on deactivate: every forward's session is terminated on the service. */
let forwards: ForwardManager | undefined;

/**
 * Wiring only. Nothing here calls AWS or loads an SDK package: clients are created on first use
 * by a view or command.
 */
export async function activate(context: vscode.ExtensionContext): Promise<TestingApi | undefined> {
  const log = vscode.window.createOutputChannel('SageMaker SSH', { log: true });
  const aws = new AwsState(new AwsAccess({ logger: log }));
  const proxy = new ProxyMaintenance(context, log);
  let handOff: HandOff = vscodeHandOff;
  let debugHandOff: DebugHandOff = vscodeDebugHandOff;
  let transferUi: TransferUi = vscodeTransferUi;
  forwards = createForwardManager(aws, log);
  const { explorer, disposables } = registerViews(context, aws, log, forwards);
  context.subscriptions.push(
    log,
    aws,
    ...disposables,
    ...registerCommands({
      aws,
      explorer,
      logger: log,
      memento: context.globalState,
      extensionPath: context.extensionPath,
      proxyInstall: () => proxy.install(),
      handOff: () => handOff,
      debugHandOff: () => debugHandOff,
      transferUi: () => transferUi,
      forwards,
    }),
  );
  // The ProxyCommand's launcher must name this VS Code's runtime. A Remote-SSH window activates us
  // before it starts ssh, so there we finish the refresh first; elsewhere it runs in the background.
  const refreshed = proxy
    .install()
    .catch((error: unknown) => log.warn(`ProxyCommand launcher: ${String(error)}`));
  if (vscode.env.remoteName === 'ssh-remote') {
    await refreshed;
  }
  if (context.extensionMode !== vscode.ExtensionMode.Test) {
    return undefined;
  }
  const shownErrors: unknown[] = [];
  context.subscriptions.push(onErrorShown((error) => shownErrors.push(error)));
  return {
    explorer,
    setHandOff: (h) => (handOff = h ?? vscodeHandOff),
    setDebugHandOff: (h) => (debugHandOff = h ?? vscodeDebugHandOff),
    setTransferUi: (ui) => (transferUi = ui ?? vscodeTransferUi),
    shownErrors,
    stateDir: context.globalStorageUri.fsPath,
    logDirectory: context.logUri.fsPath,
    forwards,
  };
}

export async function deactivate(): Promise<void> {
  await forwards?.dispose();
  forwards = undefined;
}
