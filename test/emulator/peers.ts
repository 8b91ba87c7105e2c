import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';

/**
 * AWS's own open-source Session Manager peers (amazon-ssm-agent and its workers,
 * session-manager-plugin), shipped xz-compressed in the project's `shared/peers/` folder beside the
 * checkout. They are unpacked once per content into a cache, checked against `SHA256SUMS`, and made
 * executable; every later call reuses the cache.
 */

export const AGENT_BINARIES = [
  'amazon-ssm-agent',
  'ssm-agent-worker',
  'ssm-session-worker',
  'ssm-document-worker',
] as const;
export type PeerName = (typeof AGENT_BINARIES)[number] | 'session-manager-plugin';

export type PeersErrorCode = 'PEERS_MISSING' | 'PEERS_CHECKSUM' | 'PEERS_UNPACK';

/** The peers cannot be used: where they were looked for, what is wrong, and what to do. */
export class PeersUnavailableError extends Error {
  constructor(
    readonly code: PeersErrorCode,
    detail: string,
  ) {
    super(detail);
    this.name = 'PeersUnavailableError';
  }
}

export interface UnpackedPeers {
  /** The cache directory holding the unpacked, verified, executable binaries (root-owned when run as root). */
  readonly dir: string;
  path(name: PeerName): string;
}

export interface PeersOptions {
  /** Folder with `*.xz` and `SHA256SUMS`; default `$SM_SSH_PEERS_DIR`, else `shared/peers` beside the checkout. */
  readonly sourceDir?: string;
  /** Parent of the cache; default `os.tmpdir()/sagemaker-ssh-peers`. */
  readonly cacheRoot?: string;
}

const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');

/** `$SM_SSH_PEERS_DIR`, else the first `shared/peers` found beside the checkout or one of its parents. */
export function defaultPeersDir(): string {
  const configured = process.env.SM_SSH_PEERS_DIR;
  if (configured) return path.resolve(configured);
  for (let dir = path.dirname(PROJECT_ROOT); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'peers');
    if (existsSync(path.join(candidate, 'SHA256SUMS'))) return candidate;
    if (path.dirname(dir) === dir) return path.join(path.dirname(PROJECT_ROOT), 'shared', 'peers');
  }
}

const inFlight = new Map<string, Promise<UnpackedPeers>>();

/** Unpacks (once) and verifies the named peers; resolves with the cache that holds them. */
export function unpackPeers(
  names: readonly PeerName[] = AGENT_BINARIES,
  options: PeersOptions = {},
): Promise<UnpackedPeers> {
  const sourceDir = options.sourceDir ?? defaultPeersDir();
  const key = `${sourceDir}\0${options.cacheRoot ?? ''}\0${[...names].sort().join(',')}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = unpack(names, sourceDir, options.cacheRoot ?? path.join(tmpdir(), 'sagemaker-ssh-peers'));
    inFlight.set(key, pending);
    pending.catch(() => inFlight.delete(key));
  }
  return pending;
}

async function unpack(
  names: readonly PeerName[],
  sourceDir: string,
  cacheRoot: string,
): Promise<UnpackedPeers> {
  const sums = await readSums(sourceDir);
  const digestOfSums = createHash('sha256')
    .update(JSON.stringify([...sums]))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(cacheRoot, digestOfSums);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  // The agent trusts binaries beside itself only in a directory nobody else may write.
  await chmod(cacheRoot, 0o755);
  await chmod(dir, 0o755);
  for (const name of names) {
    const expected = sums.get(name);
    if (!expected) {
      throw new PeersUnavailableError(
        'PEERS_MISSING',
        `${path.join(sourceDir, 'SHA256SUMS')} has no line for ${name}; the peers folder is incomplete. ` +
          'Restore it from the project (see shared/peers/README.md) or set SM_SSH_PEERS_DIR to a complete copy.',
      );
    }
    await unpackOne(name, expected, sourceDir, dir);
  }
  return { dir, path: (name) => path.join(dir, name) };
}

async function readSums(sourceDir: string): Promise<Map<string, string>> {
  const file = path.join(sourceDir, 'SHA256SUMS');
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new PeersUnavailableError(
      'PEERS_MISSING',
      `AWS's Session Manager peers are not at ${sourceDir} (${error.code ?? error.message} reading SHA256SUMS). ` +
        "They live in the project's shared/peers folder beside the checkout; set SM_SSH_PEERS_DIR=<folder> " +
        'if yours is elsewhere (it must hold the *.xz files and SHA256SUMS).',
    );
  });
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64})\s+\*?(\S+)\s*$/.exec(line);
    if (match) sums.set(match[2]!, match[1]!);
  }
  return sums;
}

async function unpackOne(name: PeerName, expected: string, sourceDir: string, dir: string): Promise<void> {
  const target = path.join(dir, name);
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isFile() && (await sha256File(target)) === expected) {
    if ((existing.mode & 0o777) !== 0o755) await chmod(target, 0o755);
    return;
  }
  const source = path.join(sourceDir, `${name}.xz`);
  if (!existsSync(source)) {
    throw new PeersUnavailableError(
      'PEERS_MISSING',
      `${source} is missing. Restore the peers folder (see shared/peers/README.md) or set SM_SSH_PEERS_DIR.`,
    );
  }
  const partial = `${target}.${process.pid}.partial`;
  try {
    const digest = await decompress(source, partial);
    if (digest !== expected) {
      throw new PeersUnavailableError(
        'PEERS_CHECKSUM',
        `${source} unpacks to SHA-256 ${digest}, but SHA256SUMS says ${expected}: the file is damaged or ` +
          'was replaced. Restore shared/peers from the project; do not run a binary that fails this check.',
      );
    }
    await chmod(partial, 0o755);
    await rename(partial, target);
  } finally {
    await rm(partial, { force: true });
  }
}

/** `xz -dc source > target`, returning the SHA-256 of what was written. */
async function decompress(source: string, target: string): Promise<string> {
  const child = spawn('xz', ['-dc', source], { stdio: ['ignore', 'pipe', 'pipe'] });
  const hash = createHash('sha256');
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  child.stdout.on('data', (chunk: Buffer) => hash.update(chunk));
  try {
    await pipeline(child.stdout, createWriteStream(target, { mode: 0o600 }));
    const code = await exited;
    if (code !== 0) throw new Error(`xz exited with ${code}: ${stderr.trim()}`);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new PeersUnavailableError(
      'PEERS_UNPACK',
      missing
        ? 'Unpacking the SSM peers needs xz (Debian: apt-get install xz-utils).'
        : `Cannot unpack ${source}: ${(error as Error).message}`,
    );
  }
  return hash.digest('hex');
}

async function sha256File(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}
