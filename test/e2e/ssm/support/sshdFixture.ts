import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SshdFixture {
  readonly port: number;
  /** The listening sshd; its per-connection processes are its children (the tunnel bench reads their CPU time). */
  readonly pid: number | undefined;
  readonly dir: string;
  readonly user: string;
  readonly clientKeyPath: string;
  /** "ssh-ed25519 AAAA…" of the host key, to pin in known_hosts. */
  readonly hostPublicKey: string;
  /** Writes a known_hosts file that pins the host key for `hostNames`, returns its path. */
  knownHosts(hostNames: string[]): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

function waitForPort(port: number, child: ChildProcess, deadlineMs: number): Promise<boolean> {
  const started = Date.now();
  return new Promise((resolve) => {
    const attempt = (): void => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(false);
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() - started > deadlineMs) resolve(false);
        else setTimeout(attempt, 20);
      });
    };
    attempt();
  });
}

/**
 * sshd as root needs its privilege-separation directory /run/sshd. When it is missing we start sshd
 * in a private mount namespace with a fresh /run, so nothing outside the test changes.
 */
function sshdCommand(configPath: string): { command: string; args: string[] } {
  const sshdArgs = ['-D', '-e', '-f', configPath];
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || existsSync('/run/sshd')) return { command: '/usr/sbin/sshd', args: sshdArgs };
  const script = `mount -t tmpfs tmpfs /run && mkdir -m 755 /run/sshd && exec /usr/sbin/sshd ${sshdArgs.join(' ')}`;
  return { command: 'unshare', args: ['-m', 'sh', '-c', script] };
}

/** A real OpenSSH server on 127.0.0.1:<random port> for the current user, in its own temp dir. */
export async function startSshd(): Promise<SshdFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'sm-ssh-sshd-'));
  const hostKeyPath = join(dir, 'host_ed25519');
  const clientKeyPath = join(dir, 'client_ed25519');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'sm-ssh-e2e-host', '-f', hostKeyPath]);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'sm-ssh-e2e-client', '-f', clientKeyPath]);
  await writeFile(join(dir, 'authorized_keys'), await readFile(`${clientKeyPath}.pub`));
  const hostPublicKey = (await readFile(`${hostKeyPath}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = await freePort();
    const configPath = join(dir, 'sshd_config');
    await writeFile(
      configPath,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKeyPath}`,
        'PidFile none',
        'UsePAM no',
        'StrictModes no',
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'MaxStartups 100:30:200',
        'MaxSessions 50',
        'Subsystem sftp internal-sftp',
        'LogLevel ERROR',
        '',
      ].join('\n'),
    );
    const { command, args } = sshdCommand(configPath);
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (await waitForPort(port, child, 5000)) {
      const stop = async (): Promise<void> => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        }
        await rm(dir, { recursive: true, force: true });
      };
      return {
        port,
        pid: child.pid,
        dir,
        user: userInfo().username,
        clientKeyPath,
        hostPublicKey,
        knownHosts: async (hostNames) => {
          const path = join(dir, `known_hosts_${hostNames.length}_${Date.now()}`);
          await writeFile(path, hostNames.map((name) => `${name} ${hostPublicKey}\n`).join(''));
          return path;
        },
        stop,
      };
    }
    child.kill('SIGKILL');
    if (!/Address already in use|Cannot bind/i.test(stderr)) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`sshd did not start: ${stderr.trim()}`);
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error('sshd could not find a free port');
}
