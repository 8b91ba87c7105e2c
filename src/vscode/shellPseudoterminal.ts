import { StringDecoder } from 'node:string_decoder';
import * as vscode from 'vscode';
import type { ShellEnd } from '../ssm/shellChannel';
import { ShellChannel } from '../ssm/shellChannel';
import type { SsmSession } from '../ssm/ssmSession';

/** Why a shell session ended, in words for the terminal. */
export function describeShellEnd(end: ShellEnd): string {
  switch (end.kind) {
    case 'channel-closed':
      return end.output ? `the session was closed: ${end.output}` : 'the shell exited';
    case 'closed-locally':
      return 'the session was ended';
    case 'failed':
      return end.error.message;
  }
}

/**
 * An integrated terminal on a shell session of our own SSM client (no ssh): keys and sizes go to
 * the agent's pty, its output is shown. Closing the terminal ends the session on the service; the
 * shell exiting closes the terminal, and a session that fails leaves the reason in it.
 */
export class ShellPseudoterminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  private readonly decoder = new StringDecoder('utf8');
  private readonly shell: ShellChannel;
  /** Output that arrived before VS Code opened the terminal; undefined once it is open. */
  private early: string[] | undefined = [];
  private openedResolve!: () => void;
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  /** Resolves when VS Code opened the terminal (and the session's output started to flow). */
  readonly opened = new Promise<void>((resolve) => (this.openedResolve = resolve));
  /** Resolves with how the session ended. */
  readonly ended: Promise<ShellEnd>;
  private resolveEnded!: (end: ShellEnd) => void;

  constructor(
    private readonly session: SsmSession,
    private readonly afterEnd: (end: ShellEnd) => Promise<void> = async () => undefined,
  ) {
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    // Read the session from the start: VS Code may open the terminal late, and unread output
    // would hold the data channel (no acks, no pongs) until its keepalive gives up.
    this.shell = new ShellChannel(session, { write: (chunk) => this.show(this.decoder.write(chunk)) });
    void this.shell.ended.then((end) => this.finish(end));
  }

  get sessionId(): string {
    return this.session.sessionId;
  }

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    if (dimensions) this.shell.resize({ cols: dimensions.columns, rows: dimensions.rows });
    const early = this.early ?? [];
    this.early = undefined;
    if (early.length > 0) this.writeEmitter.fire(early.join(''));
    this.openedResolve();
  }

  handleInput(data: string): void {
    this.shell.input(data);
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.shell.resize({ cols: dimensions.columns, rows: dimensions.rows });
  }

  private show(text: string): void {
    if (this.early) this.early.push(text);
    else this.writeEmitter.fire(text);
  }

  /** The user closed the terminal: end the session on the service. */
  close(): void {
    void this.session.terminate();
  }

  private async finish(end: ShellEnd): Promise<void> {
    const rest = this.decoder.end();
    if (rest) this.show(rest);
    await this.afterEnd(end).catch(() => undefined);
    this.resolveEnded(end);
    if (end.kind === 'failed') {
      this.show(`\r\n\x1b[31m[SageMaker SSH] ${describeShellEnd(end)}\x1b[0m\r\n`);
      return;
    }
    if (end.kind === 'channel-closed') this.closeEmitter.fire(end.exitCode ?? 0);
  }
}
