import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import * as path from 'node:path';

/** The repository root (compiled tests live in out/test/unit/payload). */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const PAYLOAD_ROOT = path.join(REPO_ROOT, 'media', 'remote');
export const PACKAGE_DIR = path.join(PAYLOAD_ROOT, 'sagemaker_ssh_helper');

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly input?: string;
  /** Kills the process group after this long (a stuck script must not hang the suite). */
  readonly timeoutMs?: number;
}

/** Runs a program to completion (its own process group, killed on timeout) and collects its output. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdin.on('error', () => undefined);
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    }, options.timeoutMs ?? 30_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A private copy of the package (tests may replace scripts in it without touching media/remote). */
export async function copyPackage(target: string): Promise<string> {
  const dir = path.join(target, 'sagemaker_ssh_helper');
  await cp(PACKAGE_DIR, dir, { recursive: true });
  return dir;
}

/** An environment with nothing from the host's AWS setup. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    PYTHONDONTWRITEBYTECODE: '1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

/**
 * The oldest Python 3 interpreter installed (pyenv versions, then pythonX.Y on PATH) that is at
 * least `minimum`, or python3. Containers run old interpreters; the payload must work with them.
 */
export function oldestPython(minimum: [number, number]): string {
  const candidates: [number, number, string][] = [];
  const pyenv = path.join(process.env.HOME ?? '/root', '.pyenv', 'versions');
  if (existsSync(pyenv)) {
    for (const version of readdirSync(pyenv)) {
      const match = /^3\.(\d+)\.\d+$/.exec(version);
      const binary = path.join(pyenv, version, 'bin', 'python3');
      if (match && existsSync(binary)) candidates.push([3, Number(match[1]), binary]);
    }
  }
  const eligible = candidates
    .filter(([major, minor]) => major > minimum[0] || (major === minimum[0] && minor >= minimum[1]))
    .sort((a, b) => a[1] - b[1]);
  return eligible[0]?.[2] ?? 'python3';
}
