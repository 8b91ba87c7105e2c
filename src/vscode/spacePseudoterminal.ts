import { StringDecoder } from 'node:string_decoder';
import * as vscode from 'vscode';
import type { SpaceShell } from '../connect/spaceShell';

/**
 * An integrated terminal on a Studio space's login shell (SSH over a sagemaker:StartSession
 * session, see src/connect/spaceShell.ts): keystrokes and resizes go to the pty, its output comes
 * back, and the shell exiting closes the terminal with its status.
 */
export class SpacePseudoterminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  private readonly decoder = new StringDecoder('utf8');
  /** Output that arrived before VS Code opened the terminal; undefined once it is open. */
  private early: string[] | undefined = [];
  private openedResolve!: () => void;
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  readonly opened = new Promise<void>((resolve) => (this.openedResolve = resolve));
  /** Resolves with the shell's exit status (undefined: the connection ended without one). */
  readonly ended: Promise<number | undefined>;

  constructor(private readonly shell: SpaceShell) {
    shell.channel.on('data', (chunk: Buffer) => this.show(this.decoder.write(chunk)));
    shell.channel.stderr.on('data', (chunk: Buffer) => this.show(chunk.toString('utf8')));
    this.ended = shell.exited.then((code) => {
      const rest = this.decoder.end();
      if (rest) this.show(rest);
      this.closeEmitter.fire(code ?? 0);
      return code;
    });
  }

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    if (dimensions) this.shell.resize(dimensions.columns, dimensions.rows);
    const early = this.early ?? [];
    this.early = undefined;
    if (early.length > 0) this.writeEmitter.fire(early.join(''));
    this.openedResolve();
  }

  handleInput(data: string): void {
    this.shell.channel.write(data);
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.shell.resize(dimensions.columns, dimensions.rows);
  }

  /** The user closed the terminal: end the shell, the SSH connection and the session. */
  close(): void {
    this.shell.close();
  }

  private show(text: string): void {
    if (this.early) this.early.push(text);
    else this.writeEmitter.fire(text);
  }
}
