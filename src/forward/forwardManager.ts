import { EventEmitter } from 'node:events';
import type { SessionEnd } from '../ssm/ssmSession';
import type { Logger } from '../util/logger';
import { silentLogger } from '../util/logger';
import type { NothingListensError } from './forwardErrors';
import type { ForwardRequest, ForwardState, RunningForward } from './startForward';

/** The tree node a forward is shown under: a stable key and a name for messages. */
export interface ForwardPlace {
  readonly key: string;
  readonly label: string;
}

export interface ForwardSpec {
  readonly place: ForwardPlace;
  readonly instanceId: string;
  readonly remotePort: number;
  /** Undefined: the remote port when free, else any free port. */
  readonly localPort?: number;
  /** What runs there, e.g. "Jupyter". */
  readonly name?: string;
}

/** A forward as the views and commands see it. */
export interface ForwardInfo {
  readonly id: string;
  readonly placeKey: string;
  readonly placeLabel: string;
  readonly instanceId: string;
  readonly name?: string;
  readonly remotePort: number;
  readonly localPort: number;
  readonly sessionId: string;
  readonly state: ForwardState;
}

/** Starts a forward; `startForward` bound to an SSM API in production, a fake in unit tests. */
export type ForwardOpener = (request: ForwardRequest) => Promise<RunningForward>;

interface ForwardManagerEvents {
  /** The list or a forward's state changed. */
  changed: [];
  /** A forward ended without being stopped here (the session closed or failed); it is gone from the list. */
  ended: [info: ForwardInfo, reason: string];
  /** A connection through the forward failed because nothing listens on the remote port. */
  problem: [info: ForwardInfo, error: NothingListensError];
}

interface Entry {
  readonly id: string;
  readonly spec: ForwardSpec;
  readonly running: RunningForward;
}

/** Why a session ended, in words for a notification or the CLI. */
export function describeSessionEnd(end: SessionEnd): string {
  switch (end.kind) {
    case 'closed-locally':
      return 'stopped';
    case 'channel-closed':
      return end.output.trim() || 'the Session Manager service closed the session';
    case 'failed':
      return end.error.message;
  }
}

/**
 * Every active port forward of the window, by the tree node it belongs to. VS Code-free: the
 * extension shows `list()` under the nodes and disposes the manager on deactivate, which stops
 * every forward (terminating its session on the service).
 */
export class ForwardManager extends EventEmitter<ForwardManagerEvents> {
  private readonly entries = new Map<string, Entry>();
  private readonly starting = new Map<string, Promise<ForwardInfo>>();
  private nextId = 1;
  private disposed = false;

  constructor(
    private readonly open: ForwardOpener,
    private readonly log: Logger = silentLogger,
  ) {
    super();
  }

  list(): ForwardInfo[] {
    return [...this.entries.values()].map((entry) => this.infoOf(entry));
  }

  /** The forwards shown under the node with this key, oldest first. */
  forPlace(placeKey: string): ForwardInfo[] {
    return this.list().filter((info) => info.placeKey === placeKey);
  }

  get(id: string): ForwardInfo | undefined {
    const entry = this.entries.get(id);
    return entry && this.infoOf(entry);
  }

  /**
   * Starts a forward, or returns the running one to the same node and remote port (when no other
   * local port was asked for): "give me a local port for remote port P on node X".
   */
  start(spec: ForwardSpec): Promise<ForwardInfo> {
    // A second request while the first is starting (a double click, the debugger) gets the same forward.
    const key = `${spec.place.key}\n${spec.remotePort}\n${spec.localPort ?? ''}`;
    const pending = this.starting.get(key);
    if (pending) return pending;
    const started = this.startOnce(spec).finally(() => this.starting.delete(key));
    this.starting.set(key, started);
    return started;
  }

  private async startOnce(spec: ForwardSpec): Promise<ForwardInfo> {
    if (this.disposed) throw new Error('The forward manager has been disposed.');
    const existing = [...this.entries.values()].find(
      (entry) =>
        entry.spec.place.key === spec.place.key &&
        entry.spec.remotePort === spec.remotePort &&
        (spec.localPort === undefined || spec.localPort === entry.running.localPort),
    );
    if (existing) return this.infoOf(existing);
    const running = await this.open({
      instanceId: spec.instanceId,
      where: spec.place.label,
      remotePort: spec.remotePort,
      localPort: spec.localPort,
    });
    if (this.disposed) {
      await running.stop();
      throw new Error('The forward manager was disposed while the forward started.');
    }
    const entry: Entry = { id: `forward-${this.nextId++}`, spec, running };
    this.entries.set(entry.id, entry);
    running.on('state', (state) => {
      if (!this.entries.has(entry.id)) return;
      this.log.info(`Forward ${this.describe(entry)}: ${state}`);
      this.emit('changed');
      const problem = running.problem;
      if (state === 'nothingListens' && problem) this.emit('problem', this.infoOf(entry), problem);
    });
    void running.ended.then((end) => {
      if (!this.entries.delete(entry.id)) return;
      const reason = describeSessionEnd(end);
      this.log.warn(`Forward ${this.describe(entry)} ended: ${reason}`);
      this.emit('ended', this.infoOf(entry), reason);
      this.emit('changed');
    });
    this.log.info(`Forward ${this.describe(entry)} started (session ${running.sessionId}).`);
    this.emit('changed');
    return this.infoOf(entry);
  }

  /** Stops a forward: the local port is free and the session terminated when this resolves. */
  async stop(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.emit('changed');
    await entry.running.stop();
    this.log.info(`Forward ${this.describe(entry)} stopped.`);
  }

  /** Stops every forward; the manager stays usable. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.stop(id)));
  }

  /** Stops every forward and takes no more. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stopAll();
    this.removeAllListeners();
  }

  private describe(entry: Entry): string {
    return `127.0.0.1:${entry.running.localPort} → ${entry.spec.place.label}:${entry.spec.remotePort}`;
  }

  private infoOf(entry: Entry): ForwardInfo {
    const { spec, running } = entry;
    return {
      id: entry.id,
      placeKey: spec.place.key,
      placeLabel: spec.place.label,
      instanceId: spec.instanceId,
      name: spec.name,
      remotePort: spec.remotePort,
      localPort: running.localPort,
      sessionId: running.sessionId,
      state: running.state,
    };
  }
}
