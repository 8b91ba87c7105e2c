import { Duplex } from 'node:stream';
import type { Client, ClientChannel, ConnectConfig, OpenMode, SFTPWrapper, Stats } from 'ssh2';
import type { SsmApi } from '../ssm/ssmApi';
import { sshSessionRequest } from '../ssm/ssmApi';
import type { SsmSession } from '../ssm/ssmSession';
import { openSession } from '../ssm/ssmSession';
import { STREAMING_READ_COALESCING } from '../ssm/sessionOptions';
import { logSessionTimings } from '../ssm/runSession';
import { logConnectToPortErrors } from '../ssm/stdioProxy';
import type { SshPublicKey } from '../ssh/keys/publicKey';
import type { Logger } from '../util/logger';
import { shellQuote } from '../util/shellQuote';
import type { RemoteEntry, RemoteHandle, RemoteLink } from './remoteLink';
import { LinkLostError, RemoteIoError } from './transferErrors';
import {
  HostKeyMismatchError,
  RemoteChecksumError,
  RemotePathNotFoundError,
  RemotePermissionDeniedError,
  TransferCancelledError,
} from './transferErrors';

/** Where and as whom to log in: the pinned host keys and our per-host key from Connect. */
export interface SshEndpoint {
  readonly alias: string;
  readonly instanceId: string;
  readonly username: string;
  readonly privateKey: Buffer;
  readonly hostKeys: readonly SshPublicKey[];
}

const COALESCE_BYTES = 64 * 1024;
/** SFTP status codes (draft-ietf-secsh-filexfer-02). */
const SFTP_NO_SUCH_FILE = 2;
const SFTP_PERMISSION_DENIED = 3;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

/** Ciphers node's OpenSSL runs natively; ssh2's chacha20-poly1305 falls back to JavaScript without its addon. */
const CIPHERS = ['aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr', 'aes256-ctr'];

/**
 * ssh2's socket, bound straight to the session: what ssh2 writes goes out as the session's input,
 * what the session delivers is read. Ending it ends the session from our side; the session's end
 * destroys it, so ssh2 fails what is pending.
 */
class SessionSocket extends Duplex {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushTimer: NodeJS.Immediate | undefined;
  /** ssh2 has not read what was pushed: the session holds what arrives in its receive buffer. */
  private backedUp = false;
  private writeWaiting: (() => void) | undefined;

  constructor(
    private readonly session: SsmSession,
    log: Logger,
  ) {
    super();
    session.setReceiver({
      onData: (chunk) => this.collect(chunk),
      state: () => (this.backedUp ? 'busy' : 'ready'),
    });
    session.on('drain', () => this.releaseWrite());
    logConnectToPortErrors(session, log);
    void session.ended.then(() => {
      this.flush();
      this.destroy();
    });
  }

  /**
   * The agent sends 1 KiB messages; ssh2 re-copies a partial packet on every chunk it gets, so
   * 1 KiB pieces of a 32 KiB SFTP packet cost it ~16 times the bytes. Chunks are handed on in
   * batches: at 64 KiB, or once the messages of the current read are in (setImmediate).
   */
  private collect(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= COALESCE_BYTES) this.flush();
    else this.flushTimer ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pendingBytes === 0 || this.destroyed) return;
    const data =
      this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.push(data)) this.backedUp = true;
  }

  override _read(): void {
    if (!this.backedUp) return;
    this.backedUp = false;
    this.session.receiverReady();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.session.write(chunk)) callback();
    else this.writeWaiting = () => callback();
  }

  private releaseWrite(): void {
    const waiting = this.writeWaiting;
    this.writeWaiting = undefined;
    waiting?.();
  }

  override _final(callback: (error?: Error | null) => void): void {
    void this.session.terminate();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = undefined;
    this.pending = [];
    this.pendingBytes = 0;
    callback(error);
  }
}

function hostKeyAlgorithms(keys: readonly SshPublicKey[]): string[] {
  const types = new Set(keys.map((key) => key.type as string));
  const algorithms: string[] = [];
  for (const type of types) {
    if (type === 'ssh-rsa') algorithms.push('rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa');
    else algorithms.push(type);
  }
  return algorithms;
}

function entryOf(name: string, stats: Stats): RemoteEntry {
  const format = stats.mode & S_IFMT;
  return {
    name,
    kind: format === S_IFDIR ? 'directory' : format === S_IFREG ? 'file' : 'other',
    size: stats.size,
    mtimeMs: stats.mtime * 1000,
  };
}

/**
 * Opens an SSH connection to the container's sshd over a new SSM port session of our own client
 * (AWS-StartSSHSession to port 22), logs in with our key, accepts only a pinned host key, and starts
 * SFTP. Each link is one session, so the agent paces it separately.
 */
export async function openSshLink(
  api: SsmApi,
  endpoint: SshEndpoint,
  options: { readonly id: number; readonly log: Logger; readonly signal: AbortSignal },
): Promise<RemoteLink> {
  if (options.signal.aborted) throw new TransferCancelledError();
  const { Client } = await import('ssh2');
  const response = await api.startSession(sshSessionRequest(endpoint.instanceId));
  const startedAt = performance.now();
  const session = await openSession({
    sessionId: response.SessionId,
    streamUrl: response.StreamUrl,
    tokenValue: response.TokenValue,
    resume: () => api.resumeSession(response.SessionId),
    terminate: () => api.terminateSession(response.SessionId),
    log: options.log,
    // Reads wait while the agent streams, so each takes tens of its 1 KiB messages and ssh2 gets them
    // as one chunk (why that is safe: STREAMING_READ_COALESCING). SFTP keeps 1 MiB of reads in
    // flight per link (fileCopy.ts), so the wait costs no throughput.
    tuning: STREAMING_READ_COALESCING,
  });
  const logStatistics = logSessionTimings(session, startedAt, options.log);
  const sock = new SessionSocket(session, options.log);
  const client = new Client();
  let hostKeyRefused = false;
  const pinned = endpoint.hostKeys.map((key) => key.blob);
  const config: ConnectConfig = {
    sock,
    username: endpoint.username,
    privateKey: endpoint.privateKey,
    readyTimeout: 60_000,
    keepaliveInterval: 0,
    algorithms: {
      cipher: CIPHERS,
      serverHostKey: hostKeyAlgorithms(endpoint.hostKeys),
    } as ConnectConfig['algorithms'],
    hostVerifier: (key: Buffer): boolean => {
      const ok = pinned.some((blob) => blob.equals(key));
      hostKeyRefused = !ok;
      return ok;
    },
  };
  let abort = (): void => {
    client.end();
  };
  options.signal.addEventListener('abort', abort, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', reject);
      client.once('close', () => reject(new LinkLostError('closed during the SSH handshake')));
      client.connect(config);
    });
  } catch (error) {
    client.end();
    void session.terminate();
    options.signal.removeEventListener('abort', abort);
    if (options.signal.aborted) throw new TransferCancelledError();
    if (hostKeyRefused) throw new HostKeyMismatchError(endpoint.alias);
    if (error instanceof LinkLostError) throw error;
    throw new LinkLostError((error as Error).message, { cause: error });
  }
  const sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
    client.sftp((error, value) => (error ? reject(new LinkLostError(error.message)) : resolve(value))),
  );
  let link: SshLink | undefined = undefined;
  abort = (): void => {
    if (link) link.close();
    else client.end();
  };
  link = new SshLink(
    options.id,
    endpoint.alias,
    client,
    sftp,
    () => options.signal.removeEventListener('abort', abort),
    () => {
      logStatistics();
      void session.terminate();
    },
  );
  if (options.signal.aborted) link.close();
  return link;
}

type SshClient = Client;

class SshLink implements RemoteLink {
  private closed = false;
  /** Rejections of the operations still waiting for an answer: a closed link fails them at once. */
  private readonly pending = new Set<(error: Error) => void>();

  constructor(
    readonly id: number,
    private readonly host: string,
    private readonly client: SshClient,
    private readonly sftp: SFTPWrapper,
    private readonly onClose: () => void,
    private readonly endSession: () => void,
  ) {
    client.on('close', () => this.markClosed());
    client.on('error', () => this.markClosed());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  stat(path: string): Promise<RemoteEntry | undefined> {
    return this.operation((resolve, reject) =>
      this.sftp.stat(path, (error, stats) => {
        if (!error) return resolve(entryOf(path, stats));
        if ((error as { code?: unknown }).code === SFTP_NO_SUCH_FILE) return resolve(undefined);
        reject(this.failure(error, path, 'read'));
      }),
    );
  }

  readdir(path: string): Promise<RemoteEntry[]> {
    return this.operation((resolve, reject) =>
      this.sftp.readdir(path, (error, list) =>
        error
          ? reject(this.failure(error, path, 'read'))
          : resolve(list.map((item) => entryOf(item.filename, item.attrs as unknown as Stats))),
      ),
    );
  }

  async mkdir(path: string): Promise<void> {
    const existing = await this.stat(path);
    if (existing?.kind === 'directory') return;
    await this.operation<void>((resolve, reject) =>
      this.sftp.mkdir(path, (error) => (error ? reject(this.failure(error, path, 'write')) : resolve())),
    );
  }

  openRead(path: string): Promise<RemoteHandle> {
    return this.open(path, 'r', 'read');
  }

  openWrite(path: string, truncate: boolean): Promise<RemoteHandle> {
    return this.open(path, truncate ? 'w' : 'r+', 'write');
  }

  rename(from: string, to: string): Promise<void> {
    return this.operation((resolve, reject) =>
      this.sftp.ext_openssh_rename(from, to, (error) =>
        error ? reject(this.failure(error, to, 'write')) : resolve(),
      ),
    );
  }

  remove(path: string): Promise<void> {
    return this.operation((resolve, reject) =>
      this.sftp.unlink(path, (error) => {
        if (!error || (error as { code?: unknown }).code === SFTP_NO_SUCH_FILE) return resolve();
        reject(this.failure(error, path, 'write'));
      }),
    );
  }

  async sha256(path: string): Promise<string> {
    const { code, stdout, stderr } = await this.exec(`sha256sum -b -- ${shellQuote(path)}`);
    const match = /^([0-9a-f]{64})\s/.exec(stdout);
    if (code !== 0 || !match) {
      throw new RemoteChecksumError(this.host, path, stderr.trim() || `sha256sum exited with ${code}`);
    }
    return match[1]!;
  }

  close(): void {
    this.client.end();
    this.markClosed();
    this.endSession();
  }

  /** A promise for one request, failed with LinkLostError as soon as the link closes. */
  private operation<T>(
    executor: (resolve: (value: T) => void, reject: (error: Error) => void) => void,
  ): Promise<T> {
    if (this.closed) return Promise.reject(new LinkLostError('the connection is closed'));
    return new Promise<T>((resolve, reject) => {
      const fail = (error: Error): void => reject(error);
      this.pending.add(fail);
      executor(
        (value) => {
          this.pending.delete(fail);
          resolve(value);
        },
        (error) => {
          this.pending.delete(fail);
          reject(error);
        },
      );
    });
  }

  private exec(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return this.operation((resolve, reject) =>
      this.client.exec(command, (error, channel: ClientChannel) => {
        if (error) return reject(this.failure(error, command, 'read'));
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let code = -1;
        channel.on('data', (chunk: Buffer) => out.push(chunk));
        channel.stderr.on('data', (chunk: Buffer) => err.push(chunk));
        channel.on('exit', (status: number | null) => (code = status ?? -1));
        channel.on('close', () => {
          if (this.closed && code === -1) return reject(new LinkLostError('during sha256sum'));
          resolve({
            code,
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
          });
        });
      }),
    );
  }

  private open(path: string, flags: OpenMode, operation: 'read' | 'write'): Promise<RemoteHandle> {
    return this.operation((resolve, reject) =>
      this.sftp.open(path, flags, (error, handle) => {
        if (error) return reject(this.failure(error, path, operation));
        resolve(this.handle(path, handle));
      }),
    );
  }

  private handle(path: string, handle: Buffer): RemoteHandle {
    const sftp = this.sftp;
    return {
      read: (buffer, length, position) =>
        this.operation((resolve, reject) =>
          sftp.read(handle, buffer, 0, length, position, (error, bytesRead) =>
            error ? reject(this.failure(error, path, 'read')) : resolve(bytesRead),
          ),
        ),
      write: (buffer, position) =>
        this.operation((resolve, reject) =>
          sftp.write(handle, buffer, 0, buffer.length, position, (error) =>
            error ? reject(this.failure(error, path, 'write')) : resolve(),
          ),
        ),
      close: () =>
        this.operation<void>((resolve) => sftp.close(handle, () => resolve())).catch(() => undefined),
    };
  }

  private failure(error: Error, path: string, operation: 'read' | 'write'): Error {
    const code = (error as { code?: unknown }).code;
    if (code === SFTP_NO_SUCH_FILE) return new RemotePathNotFoundError(this.host, path);
    if (code === SFTP_PERMISSION_DENIED) return new RemotePermissionDeniedError(this.host, path, operation);
    if (this.closed || typeof code !== 'number') return new LinkLostError(error.message, { cause: error });
    return new RemoteIoError(this.host, path, error.message, error);
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    const lost = new LinkLostError('the connection closed');
    for (const fail of [...this.pending]) fail(lost);
    this.pending.clear();
  }
}
