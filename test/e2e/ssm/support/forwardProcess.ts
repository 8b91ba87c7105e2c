import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';

export interface ForwardProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** What the forwarder printed on stderr and stdout (AWS's plugin reports on stdout). */
  stderr(): string;
  /** Resolves once the forwarder's output matches `pattern` (rejects if it exits first). */
  printed(pattern: RegExp): Promise<void>;
  /** Ctrl-C: SIGINT to the forwarder's process group (the AWS CLI and its plugin); resolves with the exit code. */
  stop(): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

const PORT_LINE = /Port (\d+) opened for sessionId (\S+)\./;

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Runs a port forwarder (`sm-ssh ssm-forward …`, `aws ssm start-session …`) until it announced its local port. */
export function startForwardProcess(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<ForwardProcess> {
  return new Promise((resolve, reject) => {
    const [command, ...args] = argv;
    const child = spawn(command!, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const waiters = new Set<() => void>();
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const killer = setTimeout(() => signalGroup(child, 'SIGKILL'), 120_000);
    // The group outlives the leader if the AWS CLI dies first: its plugin must not be left behind.
    void exited.then(() => {
      clearTimeout(killer);
      signalGroup(child, 'SIGKILL');
    });
    const printed = (pattern: RegExp): Promise<void> =>
      new Promise((done, fail) => {
        const check = (): void => {
          if (!pattern.test(output)) return;
          waiters.delete(check);
          done();
        };
        waiters.add(check);
        check();
        // 'close': the output is all read by then.
        child.once('close', (code) => {
          check();
          fail(new Error(`the forwarder exited (${code}) without printing ${pattern}: ${output}`));
        });
      });
    const onOutput = (chunk: Buffer): void => {
      output += chunk.toString();
      for (const check of [...waiters]) check();
      const match = PORT_LINE.exec(output);
      if (match) {
        resolve({
          port: Number(match[1]),
          child,
          stderr: () => output,
          printed,
          stop: () => {
            signalGroup(child, 'SIGINT');
            return exited;
          },
          exited,
        });
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    void exited.then((code) =>
      reject(new Error(`the forwarder exited (${code}) before listening: ${output}`)),
    );
  });
}
