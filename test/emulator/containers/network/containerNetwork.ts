import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import * as path from 'node:path';
import { ContainerStartError } from '../errors';
import { exited, signalGroup } from '../processes';
import type { InsideBridgeConfig } from './insideBridge';
import { portHeader, splice } from './splice';

export interface ContainerNetworkOptions {
  readonly containerId: string;
  /** The container's init (host pid): its network and PID namespaces are the bridge's. */
  readonly initPid: number;
  /** The sandbox directory; the bridge's UNIX sockets go to its `net/` folder. */
  readonly sandboxDir: string;
  /** Host loopback ports the container reaches at 127.0.0.1 under the same number (the emulator's endpoints). */
  readonly hostPorts: readonly number[];
}

const INSIDE_BRIDGE = path.join(__dirname, 'insideBridge.js');
/** The socket (in the sandbox's `net/`) whose connections reach container ports. */
const FROM_HOST = 'from-host';

/**
 * A container's network: its own namespace (only loopback), bridged to the host over UNIX sockets in
 * the sandbox, which cross network namespaces as files: no host interfaces, addresses or routes, and
 * nothing listening on the host beyond 127.0.0.1.
 *
 * - container → host: for each of `hostPorts`, the inside bridge listens on the container's
 *   127.0.0.1:<port> and forwards to `net/to-host-<port>`, which this process forwards to the host's
 *   127.0.0.1:<port>. No other host port is reachable from inside.
 * - host → container: `hostPortFor(port)` opens a host 127.0.0.1 listener (once per port) whose
 *   connections go through `net/from-host` to the container's 127.0.0.1:<port>; `dial(port)` is one
 *   such connection without the listener.
 */
export class ContainerNetwork {
  private readonly servers = new Set<Server>();
  private readonly sockets = new Set<Socket>();
  private readonly hostPorts = new Map<number, Promise<number>>();
  private closed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly containerId: string,
    private readonly socketDir: FileHandle,
    private readonly inside: ChildProcess,
  ) {}

  /**
   * A socket's path for this process. A UNIX socket path has at most 107 bytes and sandboxes may sit
   * deep in a test's TMPDIR, so the sockets are named through an open handle of their folder.
   */
  private socketPath(name: string): string {
    return `/proc/self/fd/${this.socketDir.fd}/${name}`;
  }

  /** Starts both halves; resolves once the container's listeners accept connections. */
  static async start(options: ContainerNetworkOptions): Promise<ContainerNetwork> {
    const dir = path.join(options.sandboxDir, 'net');
    await mkdir(dir, { mode: 0o700 });
    // The inside bridge runs in `dir`: its socket paths are relative, so short.
    const config: InsideBridgeConfig = {
      toHost: options.hostPorts.map((port) => ({ port, socketPath: `to-host-${port}` })),
      fromHostSocketPath: FROM_HOST,
    };
    const socketDir = await open(dir, 'r');
    const inside = spawn(
      '/usr/bin/nsenter',
      [
        `--target=${options.initPid}`,
        '--net',
        '--pid',
        '--',
        process.execPath,
        INSIDE_BRIDGE,
        JSON.stringify(config),
      ],
      {
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
        cwd: dir,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      },
    );
    // Closing its stdin stops the bridge; if it is already gone that write fails harmlessly.
    inside.stdin!.on('error', () => undefined);
    const network = new ContainerNetwork(options.containerId, socketDir, inside);
    try {
      await Promise.all(
        config.toHost.map(({ port, socketPath }) =>
          network.forwardToHost(network.socketPath(socketPath), port),
        ),
      );
      await insideReady(options.containerId, inside);
      return network;
    } catch (error) {
      await network.close();
      throw error;
    }
  }

  /** The host port (127.0.0.1) that reaches the container's 127.0.0.1:`port`; opened on first use. */
  hostPortFor(port: number): Promise<number> {
    let hostPort = this.hostPorts.get(port);
    if (!hostPort) {
      hostPort = this.listenFor(port);
      this.hostPorts.set(port, hostPort);
    }
    return hostPort;
  }

  /**
   * One connection to the container's 127.0.0.1:`port`. A port nothing listens on shows as a
   * connection that closes without data (the bridge accepted it before it dialed the port).
   */
  dial(port: number): Socket {
    const socket = connect({ path: this.socketPath(FROM_HOST), allowHalfOpen: true });
    this.track(socket);
    socket.write(portHeader(port));
    return socket;
  }

  /** Stops the inside bridge (if the container has not already) and every host listener and connection. */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    this.closed = true;
    this.inside.stdin?.end();
    signalGroup(this.inside.pid, 'SIGKILL');
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([
      exited(this.inside),
      ...[...this.servers].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    ]);
    await this.socketDir.close();
  }

  private async listenFor(port: number): Promise<number> {
    const server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
      this.track(client);
      splice(client, this.dial(port));
    });
    await this.listen(server, { host: '127.0.0.1', port: 0 });
    return (server.address() as AddressInfo).port;
  }

  private forwardToHost(socketPath: string, port: number): Promise<void> {
    const server = createServer({ allowHalfOpen: true }, (inside) => {
      this.track(inside);
      const host = connect({ host: '127.0.0.1', port, noDelay: true, allowHalfOpen: true });
      this.track(host);
      splice(inside, host);
    });
    return this.listen(server, { path: socketPath });
  }

  private listen(server: Server, where: { host: string; port: number } | { path: string }): Promise<void> {
    if (this.closed) {
      return Promise.reject(
        new ContainerStartError(this.containerId, 'the network bridge', 'the container is stopping'),
      );
    }
    this.servers.add(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(where, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  private track(socket: Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }
}

/** Resolves when the inside bridge printed "ready"; rejects with what it said if it exited first. */
function insideReady(containerId: string, inside: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const fail = (detail: string): void => {
      cleanup();
      reject(new ContainerStartError(containerId, 'the network bridge', detail));
    };
    const onStdout = (chunk: Buffer): void => {
      stdout += chunk.toString('utf8');
      if (!stdout.startsWith('ready\n')) return;
      cleanup();
      resolve();
    };
    const onStderr = (chunk: Buffer): void => {
      stderr += chunk.toString('utf8');
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      // stderr may still be in flight; give it a moment so the message says why.
      void setTimeout(
        () => fail(`exited (${code ?? signal}): ${stderr.trim() || stdout.trim() || 'no output'}`),
        20,
      );
    const onError = (error: Error): void => fail(error.message);
    const cleanup = (): void => {
      inside.stdout!.off('data', onStdout);
      inside.off('exit', onExit);
      inside.off('error', onError);
    };
    inside.stdout!.on('data', onStdout);
    inside.stderr!.on('data', onStderr);
    inside.once('exit', onExit);
    inside.once('error', onError);
  });
}
