import * as vscode from 'vscode';
import type { DebugpyAttachConfiguration } from '../debug/debugConfiguration';
import { installedPythonDebugger } from '../debug/debugConfiguration';

/** Starts the VS Code debug session; replaceable in extension tests (code-server has no Python extension). */
export interface DebugHandOff {
  /** The id of the installed extension contributing the `debugpy` (or `python`) debug type. */
  pythonDebugger(): string | undefined;
  start(
    folder: vscode.WorkspaceFolder | undefined,
    configuration: DebugpyAttachConfiguration,
  ): Promise<boolean>;
}

export const vscodeDebugHandOff: DebugHandOff = {
  pythonDebugger: () => installedPythonDebugger(vscode.extensions.all),
  start: async (folder, configuration) => vscode.debug.startDebugging(folder, configuration),
};
