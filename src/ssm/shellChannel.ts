import type { ReceiverState, SessionEnd, SsmSession } from './ssmSession';
import { NotAShellSessionError } from './sessionErrors';

/** A terminal size in character cells. */
export interface TerminalSize {
  readonly cols: number;
  readonly rows: number;
}

/** How a shell session ended; `exitCode` only when the agent reported one (see shellPayloads.ts). */
export type ShellEnd = SessionEnd & { readonly exitCode?: number };

/** Where a shell's output goes. `state` lets a slow consumer hold the agent back (default: ready). */
export interface ShellOutput {
  write(chunk: Buffer): void;
  writeStderr?(chunk: Buffer): void;
  state?(): ReceiverState;
}

/**
 * An interactive shell on an open shell-type session (opened with `kind: 'shell'`): keystrokes go
 * to the agent's pty as Output payloads, terminal sizes as Size payloads (sent only on change, as
 * AWS's plugin does), the pty's output comes back in order. The shell exiting makes the agent
 * end the session (the service then sends channel_closed); `terminate()` ends it from our side.
 */
export class ShellChannel {
  readonly ended: Promise<ShellEnd>;
  private exitCode: number | undefined;
  private lastSize: string | undefined;

  constructor(
    private readonly session: SsmSession,
    output: ShellOutput,
    initialSize?: TerminalSize,
  ) {
    if (session.mode !== 'shell') throw new NotAShellSessionError(session.sessionId, session.mode);
    session.on('exitCode', (code) => (this.exitCode = code));
    session.on('stderr', (chunk) => (output.writeStderr ?? output.write).call(output, chunk));
    this.ended = session.ended.then((end) =>
      this.exitCode === undefined ? end : { ...end, exitCode: this.exitCode },
    );
    if (initialSize) this.resize(initialSize);
    session.setReceiver({
      onData: (chunk) => output.write(chunk),
      state: () => output.state?.() ?? 'ready',
    });
  }

  get sessionId(): string {
    return this.session.sessionId;
  }

  get isOpen(): boolean {
    return this.session.isOpen;
  }

  /** Keystrokes or piped bytes for the shell. False: wait for `drain` before sending more. */
  input(data: Buffer | string): boolean {
    return this.session.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }

  onDrain(listener: () => void): void {
    this.session.on('drain', listener);
  }

  /** Tells the agent the terminal's size; repeated sizes are not sent again. */
  resize(size: TerminalSize): void {
    const key = `${size.cols}x${size.rows}`;
    if (key === this.lastSize || !this.session.isOpen) return;
    this.lastSize = key;
    this.session.sendSize(size.cols, size.rows);
  }

  /** Call after `state()` stopped returning busy. */
  outputReady(): void {
    this.session.receiverReady();
  }

  /** Ends the session from our side: TerminateSession flag and API call (the agent kills the shell). */
  terminate(): Promise<void> {
    return this.session.terminate();
  }
}
