import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';

export interface ForwardProcess {
  readonly port: number;
  readonly child: ChildProcess;
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

const PORT_LINE = /Port (\d+) opened for sessionId (\S+)\./;

/** Runs `sm-ssh ssm-forward …` and resolves once it announced its local port. */
export function startForwardProcess(
  runtime: string,
  cli: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<ForwardProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(runtime, [cli, 'ssm-forward', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    void exited.then(() => clearTimeout(killer));
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = PORT_LINE.exec(stderr);
      if (match) {
        resolve({
          port: Number(match[1]),
          child,
          stderr: () => stderr,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
          exited,
        });
      }
    });
    void exited.then((code) =>
      reject(new Error(`ssm-forward exited (${code}) before listening: ${stderr}${stdout}`)),
    );
  });
}
