import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import { connect } from 'node:net';
import * as path from 'node:path';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import type { SimulatedContainer } from '../../emulator/containers/container';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { dapInitializeRequest } from '../../../src/debug/probeDebugger';
import { cliHome } from './cliHarness';
import type { CliHome } from './cliHarness';
import { freePort } from '../../builders/loopback';

const ALIAS = 'debug-job.training.sagemaker';
const REPO_ROOT = path.resolve(__dirname, '../../../..');
/** The local wheel index of this machine; a fresh CI machine may have none (then the test skips). */
const WHEEL_DIR = process.env.SM_SSH_TEST_WHEELS ?? '/opt/pypi/files';

/** The debugpy wheel for the container's python3 (Debian's /usr/bin/python3), or why there is none. */
function debugpyWheel(): { wheel: string } | { reason: string } {
  const version = execFileSync('/usr/bin/python3', [
    '-c',
    'import sys; print("cp%d%d" % sys.version_info[:2])',
  ])
    .toString()
    .trim();
  if (!existsSync(WHEEL_DIR)) return { reason: `no local wheel directory ${WHEEL_DIR} (PyPI is not used)` };
  const wheel = readdirSync(WHEEL_DIR).find(
    (name) => name.startsWith('debugpy-') && name.includes(`-${version}-`),
  );
  return wheel
    ? { wheel: path.join(WHEEL_DIR, wheel) }
    : { reason: `no debugpy wheel for ${version} in ${WHEEL_DIR}` };
}

/** A minimal DAP client: Content-Length framed JSON both ways. */
class DapClient {
  private buffer = Buffer.alloc(0);
  private readonly messages: Record<string, unknown>[] = [];
  private wake: (() => void) | undefined;
  private closed = false;
  private seq = 1;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  static open(port: number): Promise<DapClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new DapClient(socket)));
      socket.once('error', reject);
    });
  }

  send(command: string, args: Record<string, unknown> = {}): void {
    if (command === 'initialize') {
      this.socket.write(dapInitializeRequest(this.seq++));
      return;
    }
    const body = JSON.stringify({ seq: this.seq++, type: 'request', command, arguments: args });
    this.socket.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  /** The next message matching, waiting for it (fails if the connection closes first). */
  async next(
    matches: (m: Record<string, unknown>) => boolean,
    what: string,
  ): Promise<Record<string, unknown>> {
    for (;;) {
      const index = this.messages.findIndex(matches);
      if (index >= 0) return this.messages.splice(index, 1)[0]!;
      if (this.closed) assert.fail(`the connection closed before ${what}`);
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private parse(): void {
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.messages.push(JSON.parse(body) as Record<string, unknown>);
      this.wake?.();
    }
  }
}

/**
 * The payload's wait_for_debugger() under a real debugpy in a simulated container (AWS's agent), reached
 * through `sm-ssh forward`: what Attach Python Debugger does, with a DAP client of our own in place of
 * VS Code's.
 */
describe('a real debugpy in a simulated container, through sm-ssh forward', function () {
  this.timeout(180_000);
  let emulator: Emulator | undefined;
  let cli: CliHome | undefined;
  let container: SimulatedContainer;
  let training: ChildProcess | undefined;
  let trainingOutput = '';
  let forward: ChildProcess | undefined;

  before(async function () {
    const found = debugpyWheel();
    if ('reason' in found) {
      console.log(`    skipped: ${found.reason}`);
      this.skip();
    }
    const b = new ScenarioBuilder();
    b.trainingJob('debug-job', { status: 'InProgress', creationTime: '-5m', ssh: { owner: me.userId } });
    emulator = await startEmulator({ scenario: b.build() });
    cli = cliHome(emulator);
    container = emulator.containers.nodes().find((n) => n.resourceName === 'debug-job')!.container;
    // The image gets debugpy the way a user's does (pip), into a folder on the training script's path.
    const site = container.hostPath('/tmp/site');
    execFileSync('python3', [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--no-index',
      '--no-deps',
      '--target',
      site,
      found.wheel,
    ]);
    cpSync(
      path.join(REPO_ROOT, 'media', 'remote', 'sagemaker_ssh_helper'),
      path.join(site, 'sagemaker_ssh_helper'),
      { recursive: true },
    );
  });
  after(async () => {
    forward?.kill('SIGINT');
    training?.kill();
    await emulator?.close();
    cli?.remove();
  });

  it('answers DAP initialize over the forward, survives a probe, and lets training go on once attached', async () => {
    const port = await freePort();
    training = container.spawn(
      [
        '/usr/bin/python3',
        '-c',
        'import sagemaker_ssh_helper as h\nh.wait_for_debugger()\nprint("training runs", flush=True)',
      ],
      { env: { PYTHONPATH: '/tmp/site', SSH_DEBUGGER_PORT: String(port), HOME: '/root' } },
    );
    // 'exit', not 'close': debugpy's adapter process (a child) keeps the script's stdout open.
    const trainingExited = new Promise<number | null>((resolve) => training!.once('exit', resolve));
    training.stdout!.on('data', (chunk: Buffer) => (trainingOutput += chunk.toString()));
    training.stderr!.on('data', (chunk: Buffer) => (trainingOutput += chunk.toString()));
    while (!trainingOutput.includes('waiting for a debugger')) {
      if (training.exitCode !== null) assert.fail(`the training script exited: ${trainingOutput}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    forward = cli!.spawn(['forward', ALIAS, String(port)]);
    let forwardOut = '';
    const localPort = await new Promise<number>((resolve, reject) => {
      forward!.stdout!.on('data', (chunk: Buffer) => {
        forwardOut += chunk.toString();
        const match = new RegExp(`Forwarding 127\\.0\\.0\\.1:(\\d+) -> \\S+:${port}\\n`).exec(forwardOut);
        if (match) resolve(Number(match[1]));
      });
      forward!.once('close', (code) => reject(new Error(`sm-ssh forward exited (${code})`)));
    });

    // Attach Python Debugger's probe: initialize, answered, then the connection drops.
    const probe = await DapClient.open(localPort);
    probe.send('initialize');
    const probed = await probe.next((m) => m.type === 'response', 'the probe response');
    assert.equal(probed.command, 'initialize');
    assert.equal(probed.success, true);
    probe.close();

    // The debugger proper: debugpy still takes a client after the probe.
    const dap = await DapClient.open(localPort);
    dap.send('initialize');
    const initialized = await dap.next((m) => m.type === 'response', 'the initialize response');
    assert.equal(initialized.success, true, JSON.stringify(initialized));
    assert.equal(
      (initialized.body as { supportsConfigurationDoneRequest?: boolean }).supportsConfigurationDoneRequest,
      true,
    );
    dap.send('attach', {
      justMyCode: false,
      pathMappings: [{ localRoot: REPO_ROOT, remoteRoot: '/opt/ml/code' }],
    });
    await dap.next((m) => m.type === 'event' && m.event === 'initialized', 'the initialized event');
    dap.send('configurationDone');
    await dap.next((m) => m.type === 'response' && m.command === 'attach', 'the attach response');
    assert.equal(await trainingExited, 0, trainingOutput);
    assert.match(trainingOutput, /debugger attached; training continues\ntraining runs\n/);
    dap.close();
  });
});
