import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a real OpenSSH tool (no shell) and returns its exit status and output. */
export function run(
  file: string,
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const execOptions = {
      encoding: 'utf8' as const,
      timeout: options.timeoutMs ?? 20_000,
      env: options.env ?? process.env,
    };
    execFile(file, [...args], execOptions, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number' && !error.killed) {
        reject(error);
        return;
      }
      resolve({
        code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
        stdout,
        stderr,
      });
    });
  });
}

export async function runOk(file: string, args: readonly string[]): Promise<string> {
  const result = await run(file, args);
  if (result.code !== 0) {
    throw new Error(`${file} ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  }
  return result.stdout;
}

/** Generates a key with ssh-keygen; returns the private key path. */
export async function sshKeygen(dir: string, name: string, type: string, bits?: number): Promise<string> {
  const file = path.join(dir, name);
  const args = ['-q', '-t', type, '-N', '', '-C', `test-${name}`, '-f', file];
  if (bits !== undefined) {
    args.push('-b', String(bits));
  }
  await runOk('ssh-keygen', args);
  return file;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

export interface RunningSshd {
  readonly port: number;
  /** The server's host public key line (ssh-ed25519 …). */
  readonly hostPublicKey: string;
  readonly authorizedKeysFile: string;
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';

/** The runtime directory sshd needs when started as root (normally created by systemd). */
async function ensurePrivsepDir(): Promise<void> {
  if (process.getuid?.() === 0) {
    await fs.mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  }
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`sshd did not start: ${stderr}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('Server listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with ${code}: ${stderr}`));
    });
  });
}

/**
 * Starts a real sshd on 127.0.0.1 as the current user, with its own host key and config in `dir`
 * (UsePAM no, StrictModes no, public key authentication only).
 */
export async function startSshd(dir: string): Promise<RunningSshd> {
  await ensurePrivsepDir();
  const hostKey = await sshKeygen(dir, 'ssh_host_ed25519_key', 'ed25519');
  const authorizedKeysFile = path.join(dir, 'authorized_keys');
  await fs.writeFile(authorizedKeysFile, '', { mode: 0o600 });
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const config = path.join(dir, 'sshd_config');
    await fs.writeFile(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey}`,
        `AuthorizedKeysFile ${authorizedKeysFile}`,
        `PidFile ${path.join(dir, 'sshd.pid')}`,
        'UsePAM no',
        'StrictModes no',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'LogLevel VERBOSE',
        '',
      ].join('\n'),
    );
    const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      await waitForListening(child, 10_000);
    } catch (error) {
      child.kill('SIGTERM');
      if (attempt < 3 && String(error).includes('Address already in use')) {
        continue;
      }
      throw error;
    }
    const hostPublicKey = (await fs.readFile(`${hostKey}.pub`, 'utf8')).trim();
    return {
      port,
      hostPublicKey,
      authorizedKeysFile,
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            resolve();
            return;
          }
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    };
  }
}
