import * as vscode from 'vscode';
import { installedRemoteSsh, remoteAuthorityUri, suggestedRemoteSsh } from './remoteSsh';

export interface HandOffRequest {
  readonly alias: string;
  readonly folder: string;
  readonly newWindow: boolean;
}

export type HandOffResult =
  | { readonly kind: 'remoteWindow'; readonly uri: string; readonly extensionId: string }
  | { readonly kind: 'noRemoteSsh'; readonly uri: string };

/** Opens the Remote-SSH window (or explains what is missing); replaceable in extension tests. */
export interface HandOff {
  open(request: HandOffRequest): Promise<HandOffResult>;
}

export function openSshTerminal(alias: string): vscode.Terminal {
  const terminal = vscode.window.createTerminal({
    name: `SSH ${alias}`,
    shellPath: 'ssh',
    shellArgs: [alias],
  });
  terminal.show();
  return terminal;
}

async function offerRemoteSshInstall(alias: string): Promise<void> {
  const install = 'Install Remote-SSH';
  const terminal = 'Open SSH Terminal';
  const choice = await vscode.window.showWarningMessage(
    `No Remote-SSH extension is installed, so VS Code cannot open a window in ${alias}. Install one, or open ` +
      `a terminal with "ssh ${alias}" (works from any terminal too).`,
    install,
    terminal,
  );
  if (choice === install) {
    await vscode.commands.executeCommand('workbench.extensions.installExtension', suggestedRemoteSsh());
  } else if (choice === terminal) {
    openSshTerminal(alias);
  }
}

/** What the handoff needs from VS Code; extension tests replace `executeCommand` to observe the call. */
export interface HandOffHost {
  executeCommand(command: string, ...args: unknown[]): Thenable<unknown>;
  installedRemoteSsh(): string | undefined;
}

export function createHandOff(host: HandOffHost): HandOff {
  return {
    async open(request) {
      const uri = remoteAuthorityUri(request.alias, request.folder);
      const extensionId = host.installedRemoteSsh();
      if (!extensionId) {
        void offerRemoteSshInstall(request.alias);
        return { kind: 'noRemoteSsh', uri: uri.toString(true) };
      }
      await host.executeCommand('vscode.openFolder', uri, { forceNewWindow: request.newWindow });
      return { kind: 'remoteWindow', uri: uri.toString(true), extensionId };
    },
  };
}

export const vscodeHandOff: HandOff = createHandOff({
  executeCommand: (command, ...args) => vscode.commands.executeCommand(command, ...args),
  installedRemoteSsh,
});
