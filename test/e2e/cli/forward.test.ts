import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import type { SimulatedContainer } from '../../emulator/containers/container';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { cliHome } from './cliHarness';
import type { CliHome } from './cliHarness';
import { accepts, fetchText, freePort, startWebServer } from '../../builders/loopback';

const ALIAS = 'fwd-job.training.sagemaker';
const denied = { ...me, name: 'no-start', accessKeyId: 'AKIANOSTARTSESSION', deny: ['ssm:StartSession'] };

/** A running `sm-ssh forward`: its output so far, a wait for a line, and Ctrl-C. */
class ForwardRun {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly waiters = new Set<() => void>();

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => this.append('stdout', chunk));
    child.stderr!.on('data', (chunk: Buffer) => this.append('stderr', chunk));
    this.exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
    void this.exited.then(() => this.waiters.forEach((wake) => wake()));
  }

  /** Waits until stdout or stderr matches (fails if the process exits first). */
  async waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpExecArray> {
    for (;;) {
      const match = pattern.exec(this[stream]);
      if (match) return match;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        assert.fail(`sm-ssh forward exited (${this.child.exitCode}) before ${pattern}: ${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
      });
    }
  }

  /** The local port of the first "Forwarding" line for `remotePort`. */
  async localPortFor(remotePort: number): Promise<number> {
    const match = await this.waitFor(
      'stdout',
      new RegExp(`Forwarding 127\\.0\\.0\\.1:(\\d+) -> \\S+:${remotePort}\\n`),
    );
    return Number(match[1]);
  }

  async interrupt(): Promise<number | null> {
    this.child.kill('SIGINT');
    return this.exited;
  }

  private append(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    this[stream] += chunk.toString();
    for (const wake of [...this.waiters]) wake();
  }
}

/**
 * `sm-ssh forward` as a user runs it: a real process, the alias resolved through the emulator's
 * SageMaker and SSM, the session relayed to AWS's amazon-ssm-agent in a simulated container,
 * which dials a real HTTP server (python3 -m http.server) started in that container.
 */
describe('sm-ssh forward against AWS’s agent in a simulated container', function () {
  this.timeout(180_000);
  let emulator: Emulator;
  let cli: CliHome;
  let container: SimulatedContainer;
  let webPort: number;
  let web: ChildProcess;
  const runs: ForwardRun[] = [];

  const forward = (args: string[], home: CliHome = cli): ForwardRun => {
    const run = new ForwardRun(
      home.spawn(['forward', ...args], { SM_SSH_LOG_LEVEL: process.env.SM_SSH_LOG_LEVEL }),
    );
    runs.push(run);
    return run;
  };

  before(async () => {
    const b = new ScenarioBuilder();
    b.trainingJob('fwd-job', { status: 'InProgress', creationTime: '-5m', ssh: { owner: me.userId } });
    b.trainingJob('offline-job', {
      status: 'InProgress',
      creationTime: '-6m',
      ssh: { owner: me.userId, pingStatus: 'ConnectionLost' },
    });
    emulator = await startEmulator({ scenario: b.identities(me, denied).build() });
    cli = cliHome(emulator);
    container = emulator.containers.nodes().find((n) => n.resourceName === 'fwd-job')!.container;
    const files = Array.from(
      { length: 50 },
      (_, i) => `echo "item ${i} from $(hostname)" > /tmp/www/item-${i}`,
    );
    const made = await container.exec(`mkdir -p /tmp/www && ${files.join(' && ')}`);
    assert.equal(made.code, 0, made.stderr);
    ({ port: webPort, server: web } = await startWebServer(container, '/tmp/www'));
  });
  afterEach(async () => {
    await Promise.all(
      runs.splice(0).map((run) => (run.child.exitCode === null ? run.interrupt() : run.exited)),
    );
  });
  after(async () => {
    web?.kill();
    await emulator?.close();
    cli?.remove();
  });

  it('serves 50 concurrent HTTP requests from a server in the container; Ctrl-C terminates the session', async () => {
    const run = forward([ALIAS, String(webPort)]);
    const localPort = await run.localPortFor(webPort);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => fetchText(localPort, `/item-${i}`)),
    );
    responses.forEach((response, i) => {
      assert.equal(response.status, 200);
      assert.equal(response.body, `item ${i} from algo-1\n`);
    });
    const relay = emulator.containers.sessions!.relays().at(-1)!;
    assert.equal(relay.isClosed, false);
    assert.equal(await run.interrupt(), 0, run.stderr);
    assert.equal(relay.isClosed, true, 'the session is over on the service when the CLI exits');
    assert.equal(await accepts(localPort), false, 'the local port is closed');
  });

  it('uses the remote port number locally when free, and an explicit local port / several -L pairs', async () => {
    const remoteFree = await freePort();
    const explicit = await freePort();
    const run = forward([ALIAS, '-L', `${explicit}:${webPort}`, '-L', String(remoteFree)]);
    assert.equal(await run.localPortFor(webPort), explicit);
    assert.equal(await run.localPortFor(remoteFree), remoteFree);
    assert.equal((await fetchText(explicit, '/item-7')).body, 'item 7 from algo-1\n');
  });

  for (const mode of ['abrupt', 'bye'] as const) {
    it(`survives a dropped connection to Session Manager (${mode}) by resuming the session`, async () => {
      const run = forward([ALIAS, String(webPort)]);
      const localPort = await run.localPortFor(webPort);
      assert.equal((await fetchText(localPort, '/item-1')).status, 200);
      const relay = emulator.containers.sessions!.relays().at(-1)!;
      const resumesBefore = emulator.calls.count({ operation: 'ResumeSession' });
      relay.disconnectClient(mode);
      await run.waitFor('stderr', /resumed the forward of port \d+/);
      assert.equal((await fetchText(localPort, '/item-2')).body, 'item 2 from algo-1\n');
      assert.ok(emulator.calls.count({ operation: 'ResumeSession' }) > resumesBefore);
      assert.equal(relay.isClosed, false);
    });
  }

  it('says clearly when nothing listens on the remote port, and keeps forwarding', async () => {
    const nothing = await freePort();
    const run = forward([ALIAS, String(nothing), String(await freePort())]);
    const localPort = await run.localPortFor(nothing);
    await assert.rejects(fetchText(localPort, '/'), /socket hang up|ECONNRESET/);
    await run.waitFor(
      'stderr',
      new RegExp(`Nothing listens on port ${nothing} in ${ALIAS.replace(/\./g, '\\.')}`),
    );
    assert.equal(run.child.exitCode, null, 'still forwarding');
  });

  it('refuses a local port in use, naming it and a free one, before starting a session', async () => {
    const sessionsBefore = emulator.calls.count({ operation: 'StartSession' });
    const busy = createServer();
    const busyPort = await new Promise<number>((resolve) =>
      busy.listen(0, '127.0.0.1', () => resolve((busy.address() as AddressInfo).port)),
    );
    try {
      const { code, stdout, stderr } = await cli.run(['forward', ALIAS, String(webPort), String(busyPort)]);
      assert.equal(code, 1, stderr);
      assert.equal(stdout, '');
      assert.match(
        stderr,
        new RegExp(
          `Local port ${busyPort} on 127\\.0\\.0\\.1 is already in use .* e\\.g\\. \\d+ \\(free now\\)`,
        ),
      );
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
    assert.equal(emulator.calls.count({ operation: 'StartSession' }), sessionsBefore);
  });

  it('names ssm:StartSession and the document when the identity may not start sessions (exit 4)', async () => {
    const home = cliHome(emulator, { identity: 'no-start' });
    try {
      const { code, stderr } = await home.run(['forward', ALIAS, '8888']);
      assert.equal(code, 4, stderr);
      assert.match(stderr, /"ssm:StartSession"/);
      assert.match(stderr, /document\/AWS-StartPortForwardingSession/);
    } finally {
      home.remove();
    }
  });

  it('says the node is offline instead of trying', async () => {
    const { code, stderr } = await cli.run(['forward', 'offline-job.training.sagemaker', '8888']);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /is ConnectionLost/);
  });

  it('rejects bad ports with the usage exit status', async () => {
    for (const args of [[ALIAS, '0'], [ALIAS, '70000'], [ALIAS, 'http'], [ALIAS], [ALIAS, '-L', '1:2:3']]) {
      const { code, stderr } = await cli.run(['forward', ...args]);
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    }
  });
});
