import { Readable, Writable } from 'node:stream';
import { runPipedShell } from '../ssm/pipedShell';
import type { PipedShellResult } from '../ssm/pipedShell';
import type { ShellSessionApi, StartedSession } from '../ssm/shellSessionStart';
import { endOnService, openShellOnSession, startShellSession } from '../ssm/shellSessionStart';
import type { SessionEnd, SsmSession } from '../ssm/ssmSession';
import type { Logger } from '../util/logger';
import { OperationCancelledError } from './connectErrors';
import {
  InvalidScriptDataNameError,
  ShellScriptFailedError,
  ShellScriptSessionEndedError,
} from './shellScriptErrors';

export interface ShellScriptRequest {
  /** Start, resume and terminate calls (`SsmApi`). */
  readonly api: ShellSessionApi;
  /**
   * An SSM target (`mi-…`, `sagemaker-training-job:<job>_algo-<N>`, `sagemaker-cluster:…`), or a
   * session already started elsewhere (`sagemaker:StartSession` for a space) with a name for messages.
   */
  readonly target: string | { readonly started: StartedSession; readonly name: string };
  /** The script: our own text, run by `sh -c` with stdin from /dev/null and stderr on stdout. */
  readonly script: string;
  /**
   * Values the script reads as shell variables of these names (letters, digits, _). They travel
   * base64-encoded in single quotes and are decoded in the container, so no value can change what
   * the script does. Trailing newlines of a value are dropped (command substitution).
   */
  readonly data?: Readonly<Record<string, string>>;
  /** For messages, e.g. "Starting sshd". */
  readonly purpose: string;
  readonly signal?: AbortSignal;
  /** Output kept for the result (default 256 KiB); beyond it, `truncated` is set. */
  readonly maxOutputBytes?: number;
  readonly log?: Logger;
}

export interface ShellScriptResult {
  readonly sessionId: string;
  /** What the script printed (stdout and stderr, as the container's pty merges them). */
  readonly output: string;
  readonly truncated: boolean;
}

const DATA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Decodes base64 with coreutils, or python3 where an image has no base64. Our text only. */
const decodeFunction =
  'smssh_b64d() { if command -v base64 >/dev/null 2>&1; then printf %s "$1" | base64 -d; ' +
  'else printf %s "$1" | python3 -c \'import base64,sys; sys.stdout.write(base64.b64decode(sys.stdin.read()).decode())\'; fi; }';

function b64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

/**
 * The one line the piped shell runs: the script (base64) decoded and run by `sh -c`, with the data as
 * base64 environment variables the script's first lines decode. A base64 text in single quotes
 * cannot close the quote, so nothing variable reaches the shell's parser. `sh -c` rather than the
 * session's own interactive shell: no aliases, history expansion or job control, and the script
 * cannot read the rest of our input.
 */
export function shellScriptLine(script: string, data: Readonly<Record<string, string>> = {}): string {
  const names = Object.keys(data);
  for (const name of names) if (!DATA_NAME.test(name)) throw new InvalidScriptDataNameError(name);
  const decodeData = names.map((name) => `${name}="$(smssh_b64d "$${name}")"`);
  const fullScript = [decodeFunction, ...decodeData, script].join('\n');
  const environment = names.map((name) => `${name}='${b64(data[name]!)}' `).join('');
  return (
    `${decodeFunction}; ` +
    `SMSSH_SCRIPT="$(smssh_b64d '${b64(fullScript)}')" && [ -n "$SMSSH_SCRIPT" ] || ` +
    `{ echo 'sm-ssh: the container has neither base64 nor python3 to decode our script' >&2; exit 127; }; ` +
    `${environment}sh -c "$SMSSH_SCRIPT" sm-ssh-script </dev/null 2>&1\n`
  );
}

/** Keeps the first `max` bytes of what it is given (and the last 4 KiB for error messages). */
class BoundedOutput extends Writable {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail = Buffer.alloc(0);
  truncated = false;

  constructor(private readonly max: number) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const room = this.max - this.headBytes;
    if (room > 0) {
      const kept = chunk.subarray(0, room);
      this.head.push(kept);
      this.headBytes += kept.length;
    }
    if (chunk.length > room) this.truncated = true;
    this.tail = Buffer.concat([this.tail, chunk]).subarray(-4096);
    done();
  }

  get text(): string {
    return Buffer.concat(this.head).toString('utf8');
  }

  get tailText(): string {
    return this.tail.toString('utf8');
  }
}

function describeEnd(end: SessionEnd): string {
  if (end.kind === 'failed') return `failed: ${end.error.message}`;
  if (end.kind === 'channel-closed' && end.output.trim())
    return `closed by the service: ${end.output.trim()}`;
  return end.kind === 'channel-closed' ? 'closed by the service' : 'closed by us';
}

function targetName(target: ShellScriptRequest['target']): string {
  return typeof target === 'string' ? target : target.name;
}

async function openFor(request: ShellScriptRequest): Promise<SsmSession> {
  const { api, target, log } = request;
  if (typeof target === 'string') return startShellSession(api, target, { log });
  const id = target.started.SessionId;
  try {
    return await openShellOnSession(
      target.started,
      { resume: () => api.resumeSession(id), terminate: () => api.terminateSession(id) },
      { log },
    );
  } catch (error) {
    await api.terminateSession(id).catch(() => undefined);
    throw error;
  }
}

/**
 * Runs one of our scripts in a container through an SSM shell session (no Run Command, so it works
 * on native targets that have no `mi-` instance): opens the session, sends the script through the
 * piped shell (whose EXIT trap reports the status), collects the output, and ends the session on
 * the service. Exit status 0 resolves; anything else throws a typed error with the last lines.
 */
export async function runShellScript(request: ShellScriptRequest): Promise<ShellScriptResult> {
  const { signal, purpose } = request;
  const name = targetName(request.target);
  const line = shellScriptLine(request.script, request.data);
  if (signal?.aborted) throw new OperationCancelledError(purpose);
  const session = await openFor(request);
  const onAbort = (): void => void session.terminate().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  const output = new BoundedOutput(request.maxOutputBytes ?? 256 * 1024);
  let result: PipedShellResult;
  try {
    result = await runPipedShell(session, Readable.from([Buffer.from(line, 'utf8')]), output);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  await endOnService(request.api, session.sessionId, result.end);
  if (signal?.aborted) throw new OperationCancelledError(purpose);
  if (result.exitCode === undefined) {
    throw new ShellScriptSessionEndedError(
      purpose,
      name,
      describeEnd(result.end),
      result.unstartedOutput || output.tailText,
    );
  }
  if (result.exitCode !== 0) {
    throw new ShellScriptFailedError(purpose, name, result.exitCode, output.tailText);
  }
  return { sessionId: session.sessionId, output: output.text, truncated: output.truncated };
}
