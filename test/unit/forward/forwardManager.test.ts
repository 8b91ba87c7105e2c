import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { NothingListensError } from '../../../src/forward/forwardErrors';
import { ForwardManager, describeSessionEnd } from '../../../src/forward/forwardManager';
import type { ForwardSpec } from '../../../src/forward/forwardManager';
import type { ForwardRequest, ForwardState, RunningForward } from '../../../src/forward/startForward';
import { chooseLocalPort, parsePort } from '../../../src/forward/localPorts';
import type { LocalPortProbe } from '../../../src/forward/localPorts';
import { ConnectionLostError } from '../../../src/ssm/sessionErrors';
import type { SessionEnd } from '../../../src/ssm/ssmSession';

/** A forward the test drives: its state, its end. */
class FakeForward extends EventEmitter implements RunningForward {
  state: ForwardState = 'active';
  stopped = 0;
  readonly ended: Promise<SessionEnd>;
  private finish!: (end: SessionEnd) => void;

  constructor(
    readonly request: ForwardRequest,
    readonly localPort: number,
    readonly sessionId: string,
  ) {
    super();
    this.ended = new Promise((resolve) => (this.finish = resolve));
  }

  get problem(): NothingListensError | undefined {
    return this.state === 'nothingListens'
      ? new NothingListensError(this.request.remotePort, this.request.where)
      : undefined;
  }

  setState(state: ForwardState): void {
    this.state = state;
    this.emit('state', state);
  }

  end(end: SessionEnd): void {
    this.finish(end);
  }

  async stop(): Promise<SessionEnd> {
    this.stopped += 1;
    this.finish({ kind: 'closed-locally' });
    return this.ended;
  }
}

function world(): { manager: ForwardManager; opened: FakeForward[]; requests: ForwardRequest[] } {
  const opened: FakeForward[] = [];
  const requests: ForwardRequest[] = [];
  const manager = new ForwardManager(async (request) => {
    requests.push(request);
    const forward = new FakeForward(
      request,
      request.localPort || 40_000 + opened.length,
      `s-${opened.length}`,
    );
    opened.push(forward);
    return forward;
  });
  return { manager, opened, requests };
}

const algo1 = { key: 'job.training.sagemaker', label: 'algo-1 of job' };
const algo2 = { key: 'algo-2.job.training.sagemaker', label: 'algo-2 of job' };
const spec = (place: ForwardSpec['place'], remotePort: number, localPort?: number): ForwardSpec => ({
  place,
  instanceId: 'mi-00000000000000001',
  remotePort,
  localPort,
  name: 'Jupyter',
});

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('ForwardManager', () => {
  it('starts, lists per node, and stops forwards', async () => {
    const { manager, opened, requests } = world();
    let changes = 0;
    manager.on('changed', () => changes++);
    const first = await manager.start(spec(algo1, 8888));
    const second = await manager.start(spec(algo2, 6006, 16006));
    assert.deepEqual(requests[0], {
      instanceId: 'mi-00000000000000001',
      where: 'algo-1 of job',
      remotePort: 8888,
      localPort: undefined,
    });
    assert.deepEqual(
      manager.forPlace(algo2.key).map((f) => [f.remotePort, f.localPort, f.state, f.name]),
      [[6006, 16006, 'active', 'Jupyter']],
    );
    assert.equal(manager.list().length, 2);
    await manager.stop(first.id);
    assert.equal(opened[0].stopped, 1);
    assert.deepEqual(
      manager.list().map((f) => f.id),
      [second.id],
    );
    assert.equal(changes, 3);
  });

  it('reuses the forward to the same node and remote port (the debugger asks for a local port)', async () => {
    const { manager, opened } = world();
    const first = await manager.start(spec(algo1, 5678));
    const again = await manager.start(spec(algo1, 5678));
    assert.equal(again.id, first.id);
    assert.equal(opened.length, 1);
    const otherLocal = await manager.start(spec(algo1, 5678, 15678));
    assert.notEqual(otherLocal.id, first.id);
    const otherNode = await manager.start(spec(algo2, 5678));
    assert.notEqual(otherNode.id, first.id);
    assert.equal(opened.length, 3);
  });

  it('starts one forward for two requests made while it starts', async () => {
    const { manager, opened } = world();
    const [first, second] = await Promise.all([
      manager.start(spec(algo1, 5678)),
      manager.start(spec(algo1, 5678)),
    ]);
    assert.equal(second.id, first.id);
    assert.equal(opened.length, 1);
  });

  it('passes state changes on and reports nothing listening', async () => {
    const { manager, opened } = world();
    const info = await manager.start(spec(algo1, 8888));
    const problems: string[] = [];
    manager.on('problem', (_, error) => problems.push(error.code));
    opened[0].setState('reconnecting');
    assert.equal(manager.get(info.id)?.state, 'reconnecting');
    opened[0].setState('nothingListens');
    assert.deepEqual(problems, ['NothingListens']);
  });

  it('drops a forward whose session ended by itself and says why', async () => {
    const { manager, opened } = world();
    const info = await manager.start(spec(algo1, 8888));
    const ended: string[] = [];
    manager.on('ended', (gone, reason) => ended.push(`${gone.id}: ${reason}`));
    opened[0].end({ kind: 'failed', error: new ConnectionLostError('s-0', 'network down') });
    await turn();
    assert.deepEqual(manager.list(), []);
    assert.equal(ended.length, 1);
    assert.match(ended[0], new RegExp(`^${info.id}: Lost the connection .*network down`));
  });

  it('does not report a forward stopped here as ended', async () => {
    const { manager } = world();
    const info = await manager.start(spec(algo1, 8888));
    let ended = 0;
    manager.on('ended', () => ended++);
    await manager.stop(info.id);
    await turn();
    assert.equal(ended, 0);
  });

  it('dispose stops every forward and refuses new ones', async () => {
    const { manager, opened } = world();
    await manager.start(spec(algo1, 8888));
    await manager.start(spec(algo2, 8888));
    await manager.dispose();
    assert.deepEqual(
      opened.map((f) => f.stopped),
      [1, 1],
    );
    await assert.rejects(manager.start(spec(algo1, 1)), /disposed/);
  });

  it('stopAll stops every forward and keeps taking new ones (tests share one manager)', async () => {
    const { manager, opened } = world();
    await manager.start(spec(algo1, 8888));
    await manager.start(spec(algo2, 8888));
    await manager.stopAll();
    assert.deepEqual(
      opened.map((f) => f.stopped),
      [1, 1],
    );
    assert.deepEqual(manager.list(), []);
    await manager.start(spec(algo1, 6006));
    assert.equal(manager.list().length, 1);
  });

  it('describes session ends', () => {
    assert.equal(describeSessionEnd({ kind: 'closed-locally' }), 'stopped');
    assert.equal(
      describeSessionEnd({ kind: 'channel-closed', output: '', isError: false }),
      'the Session Manager service closed the session',
    );
    assert.equal(
      describeSessionEnd({ kind: 'channel-closed', output: 'idle timeout', isError: true }),
      'idle timeout',
    );
  });
});

describe('local port choice', () => {
  const probe = (busy: number[], free = 50_123): LocalPortProbe => ({
    isFree: async (port) => !busy.includes(port),
    anyFree: async () => free,
  });

  it('uses the remote port number when it is free here, else lets the listener pick', async () => {
    assert.equal(await chooseLocalPort(8888, undefined, probe([])), 8888);
    assert.equal(await chooseLocalPort(8888, undefined, probe([8888])), 0);
  });

  it('takes an explicit free port, or 0, as given', async () => {
    assert.equal(await chooseLocalPort(8888, 18888, probe([8888])), 18888);
    assert.equal(await chooseLocalPort(8888, 0, probe([0])), 0);
  });

  it('refuses an explicit busy port and suggests a free one', async () => {
    await assert.rejects(chooseLocalPort(8888, 18888, probe([18888])), {
      code: 'LocalPortInUse',
      port: 18888,
      suggestion: 50_123,
    });
  });

  it('parses ports 1–65535 only', () => {
    assert.equal(parsePort('8888', 'remote port'), 8888);
    assert.equal(parsePort(' 1 ', 'remote port'), 1);
    assert.equal(parsePort(65535, 'remote port'), 65535);
    for (const bad of ['0', '65536', '-1', '80.5', 'http', '', '1e3']) {
      assert.throws(() => parsePort(bad, 'remote port'), { code: 'InvalidPort' }, bad);
    }
  });
});
