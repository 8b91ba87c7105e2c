import * as vscode from 'vscode';
import type { DebugpyAttachConfiguration } from '../debug/debugConfiguration';
import { DEFAULT_DEBUGPY_PORT, attachConfiguration, remoteRootOf } from '../debug/debugConfiguration';
import {
  DebuggerNotAnsweringError,
  DebuggerNotListeningError,
  NoLocalFolderError,
  NoPythonDebuggerError,
} from '../debug/debugErrors';
import { PROBE_ANSWER_TIMEOUT_MS, probeForward } from '../debug/probeDebugger';
import type { ForwardInfo } from '../forward/forwardManager';
import { parsePort } from '../forward/localPorts';
import type { DebugHandOff } from '../vscode/debugHandOff';
import type { ForwardPortDependencies } from './forwardPort';
import { forwardPort } from './forwardPort';
import { nodeTargetOf } from './nodeTargets';

export interface AttachDebuggerDependencies extends ForwardPortDependencies {
  readonly debugHandOff: () => DebugHandOff;
}

export interface AttachDebuggerOptions {
  /** The local folder mapped to the container's code folder; default the workspace folder, else asked. */
  readonly localRoot?: string;
  /** The debugpy port in the container; default the setting sagemakerSsh.debugger.port. */
  readonly port?: number;
  /** The forward's local port; default the same number when free, else any free port. */
  readonly localPort?: number;
}

export interface AttachDebuggerResult {
  readonly forward: ForwardInfo;
  readonly configuration: DebugpyAttachConfiguration;
  readonly started: boolean;
}

function debuggerSetting<T>(key: string): T | undefined {
  return vscode.workspace.getConfiguration('sagemakerSsh.debugger').get<T>(key);
}

async function localRootFor(options: AttachDebuggerOptions): Promise<string> {
  if (options.localRoot) return options.localRoot;
  const [first] = vscode.workspace.workspaceFolders ?? [];
  if (first) return first.uri.fsPath;
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    title: 'Attach Python Debugger: the local folder with the training code',
    openLabel: 'Map to the Code Folder',
  });
  if (!picked?.[0]) throw new NoLocalFolderError();
  return picked[0].fsPath;
}

/** Sends DAP `initialize` through the forward: only an answer proves debugpy is there. */
async function ensureDebuggerAnswers(forward: ForwardInfo): Promise<boolean> {
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `SageMaker SSH: looking for debugpy on port ${forward.remotePort} of ${forward.placeLabel}…`,
      cancellable: true,
    },
    (_, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return probeForward(forward.localPort, { signal: abort.signal });
    },
  );
  if (result === 'closed') throw new DebuggerNotListeningError(forward.remotePort, forward.placeLabel);
  if (result === 'silent') {
    throw new DebuggerNotAnsweringError(forward.remotePort, forward.placeLabel, PROBE_ANSWER_TIMEOUT_MS);
  }
  return result === 'answers';
}

/**
 * Attach Python Debugger on a job (algo-1), a node or a Studio app: forwards the debugpy port (the
 * running forward when there is one) and starts a `debugpy` attach mapped to the job's code folder.
 */
export async function attachDebugger(
  deps: AttachDebuggerDependencies,
  item: unknown,
  options: AttachDebuggerOptions = {},
): Promise<AttachDebuggerResult | undefined> {
  // The item first, so that a stale menu says so before any dialog.
  nodeTargetOf(item, 'Attach Python Debugger');
  const handOff = deps.debugHandOff();
  if (!handOff.pythonDebugger()) throw new NoPythonDebuggerError();
  const port = parsePort(
    options.port ?? debuggerSetting<number>('port') ?? DEFAULT_DEBUGPY_PORT,
    'debugger port',
  );
  const localRoot = await localRootFor(options);
  const before = new Set(deps.forwards.list().map((f) => f.id));
  const forward = await forwardPort(deps, item, { port, localPort: options.localPort, quiet: true });
  if (!forward) return undefined;
  try {
    if (!(await ensureDebuggerAnswers(forward))) return undefined;
  } catch (error) {
    // A forward this command started and that leads nowhere is not left behind.
    if (!before.has(forward.id)) await deps.forwards.stop(forward.id);
    throw error;
  }
  const configuration = attachConfiguration({
    where: forward.placeLabel,
    localPort: forward.localPort,
    localRoot,
    remoteRoot: remoteRootOf(debuggerSetting<string>('remoteRoot')),
  });
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(localRoot));
  const started = await handOff.start(folder, configuration);
  return { forward, configuration, started };
}
