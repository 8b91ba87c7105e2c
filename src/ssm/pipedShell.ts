import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { ReceivePressure } from './receivePressure';
import type { ShellEnd } from './shellChannel';
import { ShellChannel } from './shellChannel';
import type { SsmSession } from './ssmSession';

const RS = '\x1e';
/** Output before the ready marker is the shell's banner, prompt and the echoed preamble: bounded. */
const MAX_PREAMBLE_BYTES = 64 * 1024;

/**
 * The line sent first on a piped shell. The agent always runs the shell on a pty (agent/session/shell,
 * pty.Start), which echoes input, prints prompts, turns \n into \r\n and, in canonical mode, cuts
 * lines at 4 KiB; `stty raw -echo` turns all that off, and the line makes the shell report its exit
 * status, which the agent never sends for Standard_Stream sessions. The markers are made by printf
 * from octal escapes, so the pty's echo of this very line (typed before stty ran) cannot contain
 * them. `nonce` is ours: hex digits only.
 */
export function pipedShellPreamble(nonce: string): string {
  return (
    `stty raw -echo 2>/dev/null; PS1=''; PS2=''; ` +
    `trap 'printf "\\036${nonce}:exit:%d\\036" "$?"' EXIT; printf '\\036${nonce}:ready\\036'\n`
  );
}

/**
 * Separates what the piped commands printed from our markers: drops everything up to the ready
 * marker, passes the rest through, and takes the exit marker (and nothing after it) out of the
 * stream. A chunk boundary inside a marker is held back until the next chunk decides it.
 */
export class PipedShellFilter {
  private readonly ready: string;
  private readonly exitPrefix: string;
  private started = false;
  private held = '';
  private finished = false;
  exitCode: number | undefined;

  constructor(
    nonce: string,
    private readonly emit: (chunk: Buffer) => void,
  ) {
    this.ready = `${RS}${nonce}:ready${RS}`;
    this.exitPrefix = `${RS}${nonce}:exit:`;
  }

  /** True once the ready marker was seen: the user's input may go to the shell now. */
  get isStarted(): boolean {
    return this.started;
  }

  /** Returns true when this chunk completed the ready marker. */
  push(chunk: Buffer): boolean {
    if (this.finished) return false;
    let text = this.held + chunk.toString('latin1');
    this.held = '';
    let becameReady = false;
    if (!this.started) {
      const at = text.indexOf(this.ready);
      if (at < 0) {
        this.held = text.slice(-MAX_PREAMBLE_BYTES);
        return false;
      }
      this.started = true;
      becameReady = true;
      text = text.slice(at + this.ready.length);
    }
    this.pass(text);
    return becameReady;
  }

  /** The session ended: whatever is held was output after all. Returns what came before a ready marker that never came. */
  flush(): string {
    const held = this.held;
    this.held = '';
    if (!this.started) return held;
    if (!this.finished && held) this.emit(Buffer.from(held, 'latin1'));
    return '';
  }

  private pass(text: string): void {
    const match = new RegExp(`${escapeRegExp(this.exitPrefix)}(-?\\d+)${RS}`).exec(text);
    if (match) {
      this.out(text.slice(0, match.index));
      this.exitCode = Number(match[1]);
      this.finished = true;
      return;
    }
    const tail = this.partialMarkerStart(text);
    this.out(text.slice(0, tail));
    this.held = text.slice(tail);
  }

  /** Where a possibly incomplete exit marker starts at the end of `text` (text.length if none). */
  private partialMarkerStart(text: string): number {
    const at = text.lastIndexOf(RS);
    if (at < 0) return text.length;
    const rest = text.slice(at);
    const couldBe =
      rest.length <= this.exitPrefix.length
        ? this.exitPrefix.startsWith(rest)
        : rest.startsWith(this.exitPrefix) && /^-?\d*$/.test(rest.slice(this.exitPrefix.length));
    return couldBe ? at : text.length;
  }

  private out(text: string): void {
    if (text) this.emit(Buffer.from(text, 'latin1'));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface PipedShellResult {
  readonly end: ShellEnd;
  /** The shell's exit status, from its EXIT trap; undefined if the shell was killed or ended otherwise. */
  readonly exitCode: number | undefined;
  /** What the session printed when it ended before the shell took our first line (e.g. the agent's error). */
  readonly unstartedOutput: string;
}

/**
 * Runs `input` as a script in a shell session, like `ssh host < script`: output without echo or
 * prompts on `output`, and the shell's exit status. On input EOF the shell is told to exit
 * (an `exit` line), so it exits with its last command's status.
 */
export async function runPipedShell(
  session: SsmSession,
  input: Readable,
  output: Writable,
  nonce: string = randomBytes(8).toString('hex'),
): Promise<PipedShellResult> {
  const pressure = new ReceivePressure(() => shell.outputReady());
  const filter = new PipedShellFilter(nonce, (chunk) => pressure.write(output, chunk));
  let lastByte = 0x0a;
  const startInput = (): void => {
    input.on('data', (chunk: Buffer) => {
      if (chunk.length === 0) return;
      lastByte = chunk[chunk.length - 1]!;
      if (!shell.input(chunk)) input.pause();
    });
    // `exit` rather than Ctrl-D: an interactive sh prints a newline when it reads end-of-file.
    input.once('end', () => shell.input(lastByte === 0x0a ? 'exit\n' : '\nexit\n'));
    input.resume();
  };
  input.pause();
  const shell: ShellChannel = new ShellChannel(session, {
    write: (chunk) => {
      if (filter.push(chunk)) startInput();
    },
    state: () => (pressure.isCongested ? 'busy' : 'ready'),
  });
  shell.onDrain(() => input.resume());
  shell.input(pipedShellPreamble(nonce));
  const end = await shell.ended;
  const unstartedOutput = filter.flush();
  input.pause();
  await new Promise<void>((resolve) =>
    output.writableEnded || output.destroyed ? resolve() : output.write(Buffer.alloc(0), () => resolve()),
  );
  return { end, exitCode: end.exitCode ?? filter.exitCode, unstartedOutput };
}
