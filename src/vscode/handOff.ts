import * as vscode from 'vscode';
import { installedRemoteSsh, remoteAuthorityUri, suggestedRemoteSsh } from './remoteSsh';
import { shellWord } from '../util/shellQuote';

/** How to run ssh to a host from a terminal: remote.SSH.path and `-F <remote.SSH.configFile>` applied. */
export interface SshCommand {
  readonly path: string;
  readonly args: readonly string[];
}

export interface HandOffRequest {
  readonly alias: string;
  readonly folder: string;
  readonly newWindow: boolean;
  /** The ssh command a terminal runs when no Remote-SSH window can be opened. */
  readonly ssh: SshCommand;
}

export type HandOffResult =
  | { readonly kind: 'remoteWindow'; readonly uri: string; readonly extensionId: string }
  | { readonly kind: 'terminal'; readonly uri: string };

/** Opens the Remote-SSH window (or a terminal inside the host); replaceable in extension tests. */
export interface HandOff {
  open(request: HandOffRequest): Promise<HandOffResult>;
}

/** `ssh [-F <config>] <alias>` with the configured ssh binary. */
export function sshCommandFor(alias: string, sshArgs: readonly string[], sshPath?: string): SshCommand {
  return { path: sshPath ?? 'ssh', args: [...sshArgs, alias] };
}

/** The command as a user would type it (for messages only; the terminal gets the argv). */
function sshCommandLine(ssh: SshCommand): string {
  return [ssh.path, ...ssh.args].map(shellWord).join(' ');
}

function sshTerminalOptions(alias: string, ssh: SshCommand, banner: string): vscode.TerminalOptions {
  return {
    name: `SSH ${alias}`,
    shellPath: ssh.path,
    shellArgs: [...ssh.args],
    message: `${banner.replace(/\r?\n/g, '\r\n')}\r\n`,
  };
}

function openSshTerminal(alias: string, ssh: SshCommand, banner: string): void {
  vscode.window.createTerminal(sshTerminalOptions(alias, ssh, banner)).show();
}

/** What a desktop VS Code with Remote-SSH would have done, for the terminal banner and the notification. */
function terminalHandOffMessage(request: HandOffRequest, web: boolean): string {
  const here = `SageMaker SSH: this terminal runs inside ${request.alias} (${sshCommandLine(request.ssh)})`;
  const window = `Connect opens a VS Code window in ${request.folder} on ${request.alias} instead`;
  return web
    ? `${here}. In desktop VS Code with Remote-SSH, ${window}; this browser-based VS Code has no Remote-SSH.`
    : `${here}, because no Remote-SSH extension is installed. With Remote-SSH, ${window}.`;
}

/** What the handoff needs from VS Code; extension tests replace these to observe the calls. */
export interface HandOffHost {
  executeCommand(command: string, ...args: unknown[]): Thenable<unknown>;
  installedRemoteSsh(): string | undefined;
  /** Opens a terminal running ssh; default: an integrated terminal. */
  openTerminal?(alias: string, ssh: SshCommand, banner: string): void;
  /** True in a browser-based VS Code (code-server, vscode.dev), where Remote-SSH cannot run. */
  isWeb?(): boolean;
  /** Shows the notification; default: an information message with "Install Remote-SSH" on desktop. */
  notify?(message: string, offerInstall: boolean): void;
}

async function notifyTerminal(message: string, offerInstall: boolean): Promise<void> {
  const install = 'Install Remote-SSH';
  const choice = offerInstall
    ? await vscode.window.showInformationMessage(message, install)
    : await vscode.window.showInformationMessage(message);
  if (choice === install) {
    await vscode.commands.executeCommand('workbench.extensions.installExtension', suggestedRemoteSsh());
  }
}

export function createHandOff(host: HandOffHost): HandOff {
  return {
    async open(request) {
      const uri = remoteAuthorityUri(request.alias, request.folder);
      const extensionId = host.installedRemoteSsh();
      if (!extensionId) {
        const web = host.isWeb?.() ?? vscode.env.uiKind === vscode.UIKind.Web;
        const message = terminalHandOffMessage(request, web);
        if (host.openTerminal) host.openTerminal(request.alias, request.ssh, message);
        else openSshTerminal(request.alias, request.ssh, message);
        if (host.notify) host.notify(message, !web);
        else void notifyTerminal(message, !web);
        return { kind: 'terminal', uri: uri.toString(true) };
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
