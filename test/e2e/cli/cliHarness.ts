import { execFile, spawn } from 'node:child_process';
import type { ChildProcess, ChildProcessByStdio } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import type { Emulator } from '../../emulator';
import { writeEmulatorProfile } from '../../builders/awsEnvironment';

const execFileAsync = promisify(execFile);

/**
 * The CLI as tsc builds it (out/src/cli/smSsh.js), the same entry the bundle runs; set
 * SM_SSH_TEST_CLI=dist/sm-ssh.js to run these tests against the webpack bundle instead.
 */
export const cliPath = process.env.SM_SSH_TEST_CLI
  ? resolve(process.env.SM_SSH_TEST_CLI)
  : resolve(__dirname, '../../../src/cli/smSsh.js');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  /** Node's own flags before the script (e.g. --cpu-prof). */
  readonly nodeFlags?: readonly string[];
  /** Default 170 s; a killed run's stderr says it was killed. */
  readonly timeoutMs?: number;
}

const DEFAULT_RUN_TIMEOUT_MS = 170_000;

/** A user's machine for the CLI: a temporary HOME whose AWS config points at an emulator. */
export interface CliHome {
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  /** The ssh config the CLI adds its Include to (SM_SSH_CONFIG_FILE; OpenSSH ignores $HOME). */
  readonly userConfig: string;
  readonly managedConfig: string;
  readonly knownHosts: string;
  readonly hostsJson: string;
  /** Runs `sm-ssh <args>` as a real process; resolves with its exit code (never rejects). */
  run(args: readonly string[], extraEnv?: NodeJS.ProcessEnv, options?: CliRunOptions): Promise<CliRun>;
  /** Plain OpenSSH to `alias` with the config the CLI wrote; its trimmed stdout (rejects on failure). */
  ssh(alias: string, command: string): Promise<string>;
  /** Runs `sm-ssh <args>` with `input` on stdin (a pipe, closed after it); never rejects on an exit code. */
  piped(args: readonly string[], input: string, extraEnv?: NodeJS.ProcessEnv): Promise<CliRun>;
  /** Starts `sm-ssh <args>` and returns the process, e.g. to send it a signal. */
  spawn(args: readonly string[], extraEnv?: NodeJS.ProcessEnv): ChildProcessByStdio<null, Readable, Readable>;
  remove(): void;
}

export interface CliHomeOptions {
  /** Profiles to write instead of [default] (name → region); each gets the identity's keys. */
  readonly profiles?: Readonly<Record<string, string | undefined>>;
  /** The emulator identity whose keys the profiles hold. Default: me. */
  readonly identity?: string;
}

export function cliHome(emulator: Emulator, options: CliHomeOptions = {}): CliHome {
  const home = mkdtempSync(join(tmpdir(), 'smssh-cli-'));
  writeEmulatorProfile(
    emulator,
    options.identity ?? 'me',
    join(home, 'aws-config'),
    join(home, 'aws-credentials'),
    options.profiles,
  );
  mkdirSync(join(home, 'state'));
  const userConfig = join(home, '.ssh', 'cli_config');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_STATE_HOME: join(home, 'state'),
    AWS_CONFIG_FILE: join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    SM_SSH_CONFIG_FILE: userConfig,
  };
  const run = (
    args: readonly string[],
    extraEnv: NodeJS.ProcessEnv = {},
    options: CliRunOptions = {},
  ): Promise<CliRun> =>
    new Promise((done) => {
      const timeout = options.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
      execFile(
        process.execPath,
        [...(options.nodeFlags ?? []), cliPath, ...args],
        { env: { ...env, ...extraEnv }, timeout, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          const killed = error?.killed ? `killed after ${timeout / 1000} s\n` : '';
          done({ code, stdout, stderr: killed + stderr });
        },
      );
    });
  const running = new Set<ChildProcess>();
  const piped = (args: readonly string[], input: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
    new Promise((done, fail) => {
      const child = spawn(process.execPath, [cliPath, ...args], {
        env: { ...env, ...extraEnv },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      running.add(child);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', fail);
      child.on('close', (code) => {
        running.delete(child);
        done({
          code: code ?? -1,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      });
      child.stdin.end(input);
    });
  return {
    home,
    env,
    userConfig,
    managedConfig: join(home, '.ssh', 'sagemaker-ssh', 'config'),
    knownHosts: join(home, '.ssh', 'sagemaker-ssh', 'known_hosts'),
    hostsJson: join(home, 'state', 'sagemaker-ssh', 'hosts.json'),
    run,
    // OpenSSH finds ~/.ssh/config through the passwd entry, not $HOME, so name the file.
    ssh: async (alias, command) =>
      (
        await execFileAsync('ssh', ['-F', userConfig, '-o', 'BatchMode=yes', alias, command], {
          env,
          timeout: 90_000,
        })
      ).stdout.trim(),
    spawn: (args, extraEnv = {}) =>
      spawn(process.execPath, [cliPath, ...args], {
        env: { ...env, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    piped,
    remove: () => {
      for (const child of running) child.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    },
  };
}
