import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFile, readlink, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ContainerExecError, ContainerStartError } from './errors';
import { assertIsolationAvailable, CONTAINER_NAMESPACES } from './isolation';
import { ContainerNetwork } from './network/containerNetwork';
import { collectOutput, exited, signalGroup, type ProcessResult } from './processes';
import {
  createSandbox,
  recordSandboxOwner,
  removeSandbox,
  sweepStaleSandboxes,
  type ContainerFile,
  type ContainerUser,
  type Sandbox,
} from './sandbox';

/** What a simulated container is made of. */
export interface ContainerSpec {
  /** Unique among the emulator's containers, e.g. `my-job-algo-1`. */
  readonly id: string;
  /** The container's hostname (its own UTS namespace): `algo-1`, or a Studio app name. */
  readonly hostname: string;
  /** Environment of every process started in the container (nothing leaks in from the host). */
  readonly env?: Readonly<Record<string, string>>;
  /** Files placed before start (container path → content), under /etc, /opt, /var, /usr/local, /root, /home, /tmp. */
  readonly files?: Readonly<Record<string, ContainerFile>>;
  readonly users?: readonly ContainerUser[];
  /**
   * Host loopback ports the container reaches at 127.0.0.1 under the same number (the emulator's
   * endpoints); no other host port is reachable from inside. Default: none.
   */
  readonly hostPorts?: readonly number[];
  /** Where the sandbox directory is created; default os.tmpdir(). */
  readonly parentDir?: string;
  /** Host folder holding AWS's agent and workers (unpacked peers); default: the stand-in agent. */
  readonly awsAgentDir?: string;
  /** The image's Debian packages; default hostPackages.ts IMAGE_PACKAGES (which has openssh-server). */
  readonly imagePackages?: readonly string[];
}

export interface ExecOptions {
  /** Added to (and overriding) the container environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Working directory inside the container; default `/`. */
  readonly cwd?: string;
  readonly input?: string;
  /** Kills the command's process group after this long (the result then has signal SIGKILL). */
  readonly timeoutMs?: number;
}

export type ExecResult = ProcessResult;

export interface SpawnInContainerOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Copy the process's stdout and stderr into the container log (default true). */
  readonly log?: boolean;
}

const LOG_LIMIT = 1024 * 1024;
const swept = new Set<string>();
const BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The stand-in amazon-ssm-agent: the host's Node.js running the compiled agent. */
export function agentCommand(): string[] {
  return [process.execPath, path.join(__dirname, 'agent', 'main.js')];
}

/** The port sshd listens on inside every container (/etc/ssh/sshd_config), as in SageMaker. */
export const CONTAINER_SSHD_PORT = 22;

/**
 * A simulated SageMaker container: a long-lived init (PID 1) in its own mount, PID, UTS and network
 * namespaces, with the sandbox mounted over /etc (copy-on-write), /etc/ssh, /var, /opt, /usr/local,
 * /root, /home, /tmp and /run, and the rest of the host read-only. Commands enter it with nsenter.
 * Its network is its own loopback: sshd listens on its port 22, and the host's loopback is out of
 * reach except `spec.hostPorts`, bridged in (network/containerNetwork.ts). The host reaches the
 * container's ports through `sshdPort` and `hostPortFor(port)`.
 */
export class SimulatedContainer extends EventEmitter {
  private readonly children = new Set<ChildProcess>();
  private logText = '';
  private stopping: Promise<void> | undefined;
  private pidNamespace = '';

  private constructor(
    readonly spec: ContainerSpec,
    readonly sandbox: Sandbox,
    /** The host port (on 127.0.0.1) that reaches the container's sshd (its port 22). */
    readonly sshdPort: number,
    private readonly network: ContainerNetwork,
    private readonly unshare: ChildProcess,
    private readonly init: number,
  ) {
    super();
  }

  /** Creates the sandbox and starts the container's init; throws ContainerIsolationError where that is impossible. */
  static async start(spec: ContainerSpec): Promise<SimulatedContainer> {
    await assertIsolationAvailable();
    const parentDir = spec.parentDir ?? tmpdir();
    if (!swept.has(parentDir)) {
      swept.add(parentDir);
      await sweepStaleSandboxes(parentDir);
    }
    const sandbox = await createSandbox(
      {
        id: spec.id,
        hostname: spec.hostname,
        files: spec.files,
        users: spec.users,
        parentDir,
        awsAgentDir: spec.awsAgentDir,
        imagePackages: spec.imagePackages,
      },
      agentCommand(),
    );
    let unshare: ChildProcess | undefined;
    let network: ContainerNetwork | undefined;
    try {
      unshare = spawn(
        '/usr/bin/unshare',
        [...CONTAINER_NAMESPACES, '/usr/bin/python3', '-I', sandbox.initProgramPath, sandbox.planPath],
        { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: BASE_PATH } },
      );
      await recordSandboxOwner(sandbox.dir, unshare.pid!);
      // Closing init's stdin stops the container; if init is already gone that write fails harmlessly.
      unshare.stdin!.on('error', () => undefined);
      const output = new InitOutput(spec.id, unshare);
      await output.ready;
      const init = await childPid(unshare.pid!);
      // Before anything runs in the container: its agent and scripts dial the emulator right away.
      network = await ContainerNetwork.start({
        containerId: spec.id,
        initPid: init,
        sandboxDir: sandbox.dir,
        hostPorts: spec.hostPorts ?? [],
      });
      const sshdPort = await network.hostPortFor(CONTAINER_SSHD_PORT);
      const container = new SimulatedContainer(spec, sandbox, sshdPort, network, unshare, init);
      container.pidNamespace = await readlink(`/proc/${init}/ns/pid`);
      output.pipeTo((text) => container.appendLog(text));
      unshare.once('exit', () => container.emit('exit'));
      return container;
    } catch (error) {
      await network?.close();
      signalGroup(unshare?.pid, 'SIGKILL');
      if (unshare) await exited(unshare);
      await removeSandbox(sandbox.dir);
      throw error;
    }
  }

  get id(): string {
    return this.spec.id;
  }

  get hostname(): string {
    return this.spec.hostname;
  }

  /** The init's pid on the host (`nsenter --target`); /proc/<pid>/root is the container's filesystem. */
  get initPid(): number {
    return this.init;
  }

  /** `pid:[inode]` of the container's PID namespace: identifies its processes from the host. */
  get pidNamespaceId(): string {
    return this.pidNamespace;
  }

  get running(): boolean {
    return this.unshare.exitCode === null && this.unshare.signalCode === null && !this.stopping;
  }

  /** The environment every process in the container starts with. */
  get env(): Record<string, string> {
    return {
      PATH: BASE_PATH,
      HOME: '/root',
      LANG: 'C.UTF-8',
      HOSTNAME: this.hostname,
      ...this.spec.env,
    };
  }

  /** Everything written to the container log: /proc/1/fd/1 and the output of background processes. */
  log(): string {
    return this.logText;
  }

  /** A host path that reaches `containerPath` through the container's mounts (while it runs). */
  hostPath(containerPath: string): string {
    return `/proc/${this.init}/root${path.posix.normalize('/' + containerPath)}`;
  }

  readFile(containerPath: string): Promise<string> {
    return readFile(this.hostPath(containerPath), 'utf8');
  }

  writeFile(containerPath: string, content: string | Buffer): Promise<void> {
    return writeFile(this.hostPath(containerPath), content);
  }

  /**
   * The host port (on 127.0.0.1) that reaches the container's 127.0.0.1:`port`: opened on first use,
   * closed with the container. A port nothing listens on gives a connection that closes at once.
   */
  hostPortFor(port: number): Promise<number> {
    return this.network.hostPortFor(port);
  }

  /** One connection to the container's 127.0.0.1:`port` (what `hostPortFor` listeners do per client). */
  dial(port: number): Socket {
    return this.network.dial(port);
  }

  /** Runs `sh -c <command>` as root in the container and waits for it. */
  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const child = this.spawnProcess(['/bin/sh', '-c', command], options, false);
    const result = collectOutput(child);
    child.stdin!.end(options.input ?? '');
    let timer: NodeJS.Timeout | undefined;
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), options.timeoutMs);
    }
    try {
      return await result;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Starts a long-running process in the container (its own process group; stopped with the container). */
  spawn(argv: readonly string[], options: SpawnInContainerOptions = {}): ChildProcess {
    const child = this.spawnProcess(argv, options, options.log ?? true);
    child.stdin!.end();
    return child;
  }

  /** Starts the container's sshd (foreground, logging to the container log) and waits until it accepts connections. */
  async startSshd(timeoutMs = 10_000): Promise<ChildProcess> {
    const listening = new Promise<boolean>((resolve) => {
      const onLog = (text: string): void => {
        if (/Server listening on \S+ port \d+/.test(text)) {
          this.off('log', onLog);
          resolve(true);
        }
      };
      this.on('log', onLog);
      setTimeout(() => {
        this.off('log', onLog);
        resolve(false);
      }, timeoutMs).unref();
    });
    const sshd = this.spawn(['/usr/sbin/sshd', '-D', '-e', '-f', '/etc/ssh/sshd_config']);
    const alive = (): boolean => sshd.exitCode === null && sshd.signalCode === null;
    const ended = exited(sshd).then(() => false);
    if (!(await Promise.race([listening, ended]))) {
      signalGroup(sshd.pid, 'SIGKILL');
      throw new ContainerStartError(
        this.id,
        'starting sshd',
        alive()
          ? `nothing listens on port ${CONTAINER_SSHD_PORT}`
          : `sshd exited: ${this.log().slice(-2000)}`,
      );
    }
    return sshd;
  }

  /**
   * Stops every process of the container (SIGTERM, then the kernel's SIGKILL when init exits),
   * which also drops its mounts, and removes the sandbox.
   */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.unshare.stdin?.end();
    const done = exited(this.unshare);
    const gone = await Promise.race([done.then(() => true), sleep(5000).then(() => false)]);
    if (!gone) {
      signalGroup(this.unshare.pid, 'SIGKILL');
      await done;
    }
    for (const child of this.children) signalGroup(child.pid, 'SIGKILL');
    await Promise.all([...this.children].map(exited));
    await this.network.close();
    await removeSandbox(this.sandbox.dir);
  }

  private spawnProcess(
    argv: readonly string[],
    options: ExecOptions | SpawnInContainerOptions,
    log: boolean,
  ): ChildProcess {
    if (!this.running) throw new ContainerExecError(this.id, 'the container is not running');
    const cwd = options.cwd ?? '/';
    const child = spawn(
      '/usr/bin/nsenter',
      [
        `--target=${this.init}`,
        '--mount',
        '--uts',
        '--pid',
        '--net',
        '--',
        '/bin/sh',
        '-c',
        'cd -- "$0" && exec "$@"',
        cwd,
        ...argv,
      ],
      { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: { ...this.env, ...options.env }, cwd: '/' },
    );
    this.children.add(child);
    // A command may exit without reading its input (EPIPE); its exit status tells what happened.
    child.stdin!.on('error', () => undefined);
    child.once('exit', () => this.children.delete(child));
    child.once('error', () => this.children.delete(child));
    if (log) {
      child.stdout!.on('data', (chunk: Buffer) => this.appendLog(chunk.toString('utf8')));
      child.stderr!.on('data', (chunk: Buffer) => this.appendLog(chunk.toString('utf8')));
    }
    return child;
  }

  private appendLog(text: string): void {
    if (!text) return;
    this.logText = (this.logText + text).slice(-LOG_LIMIT);
    this.emit('log', text);
  }
}

/**
 * Collects what init prints: `ready` resolves once it printed its "ready" line (or rejects with
 * why it never did); afterwards everything goes to the container log.
 */
class InitOutput {
  readonly ready: Promise<void>;
  private stdout = '';
  private stderr = '';
  private sink: ((text: string) => void) | undefined;
  private settle: (error?: Error) => void = () => undefined;

  constructor(id: string, unshare: ChildProcess) {
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => this.settle(new ContainerStartError(id, 'init', `no "ready" after 10 s: ${this.stderr}`)),
        10_000,
      );
      this.settle = (error) => {
        clearTimeout(timer);
        this.settle = () => undefined;
        if (error) reject(error);
        else resolve();
      };
    });
    unshare.stdout!.on('data', (chunk: Buffer) => this.onOutput('stdout', chunk.toString('utf8')));
    unshare.stderr!.on('data', (chunk: Buffer) => this.onOutput('stderr', chunk.toString('utf8')));
    unshare.once('error', (error) => this.settle(new ContainerStartError(id, 'init', error.message)));
    unshare.once('exit', (code, signal) =>
      // stderr may still be in flight; give it a moment so the message says why.
      setTimeout(() => {
        const why = this.stderr.trim() || this.stdout.trim() || 'no output';
        this.settle(
          new ContainerStartError(id, 'init', `exited (${code ?? signal}) before it was ready: ${why}`),
        );
      }, 20),
    );
  }

  /** From now on init's output goes to `sink`, starting with what it printed after "ready". */
  pipeTo(sink: (text: string) => void): void {
    this.sink = sink;
    sink(this.stdout + this.stderr);
    this.stdout = '';
    this.stderr = '';
  }

  private onOutput(stream: 'stdout' | 'stderr', text: string): void {
    if (this.sink) {
      this.sink(text);
      return;
    }
    this[stream] += text;
    const newline = this.stdout.indexOf('\n');
    if (stream === 'stdout' && newline >= 0 && this.stdout.slice(0, newline) === 'ready') {
      this.stdout = this.stdout.slice(newline + 1);
      this.settle();
    }
  }
}

/** The pid of unshare's forked child (the container's init), as the host sees it. */
async function childPid(parent: number): Promise<number> {
  const children = (await readFile(`/proc/${parent}/task/${parent}/children`, 'utf8')).trim().split(/\s+/);
  const pid = Number(children[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`unshare (pid ${parent}) has no child process`);
  return pid;
}
