import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: Buffer | Readable;
  /** Kill the process after this long (a hung tunnel must not hang the suite). */
  killAfterMs?: number;
  onStdout?: (chunk: Buffer) => void;
}

/** Runs a process to completion, collecting output; the process is always gone when this resolves. */
export function runProcess(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (options.onStdout) options.onStdout(chunk);
      else stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on('error', () => undefined);
    const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 120_000);
    child.once('error', (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout: Buffer.concat(stdout), stderr });
    });
    const input = options.input;
    if (input === undefined) child.stdin.end();
    else if (Buffer.isBuffer(input)) child.stdin.end(input);
    else input.pipe(child.stdin);
  });
}

export interface BannerProbe {
  readonly input: PassThrough;
  readonly onStdout: (chunk: Buffer) => void;
  /** Everything the proxy printed on stdout. */
  stdout(): Buffer;
}

/**
 * RunOptions for a ProxyCommand run by hand: sends an SSH client banner and ends stdin once the
 * server's banner line came back (after whatever the client printed first, e.g. AWS's plugin).
 */
export function bannerProbe(): BannerProbe {
  const input = new PassThrough();
  let stdout = Buffer.alloc(0);
  input.write('SSH-2.0-e2e_probe\r\n');
  return {
    input,
    onStdout: (chunk) => {
      stdout = Buffer.concat([stdout, chunk]);
      if (/SSH-2\.0-[^\n]*\n/.test(stdout.toString('latin1'))) input.end();
    },
    stdout: () => stdout,
  };
}
