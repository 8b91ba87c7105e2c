import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me, testAccount } from '../../builders/scenarioBuilder';
import { targetAlias } from '../../../src/targets/targetAlias';
import { shellWord } from '../../../src/util/shellQuote';
import { cliHome, cliPath } from './cliHarness';
import type { CliHome, CliRun } from './cliHarness';

const jobAlias = targetAlias({ kind: 'trainingNode', jobName: 'Shell-Job' });
const offlineAlias = targetAlias({ kind: 'trainingNode', jobName: 'Offline-Job' });
const denied = {
  name: 'no-sessions',
  accessKeyId: 'AKIANOSESSIONSEXAMPLE',
  secretAccessKey: 'no-sessions-secret',
  arn: `arn:aws:iam::${testAccount}:user/no-sessions`,
  userId: 'AIDANOSESSIONSEXAMPLE',
  deny: ['ssm:StartSession'],
};

/**
 * `sm-ssh shell` as a user runs it with a pipe: a real process, stdin written and closed, against a
 * simulated container where AWS's amazon-ssm-agent runs the shell on its pty.
 */
describe('sm-ssh shell against AWS agent in simulated containers', function () {
  this.timeout(180_000);
  let emulator: Emulator;
  let cli: CliHome;

  before(async () => {
    const b = new ScenarioBuilder();
    b.trainingJob('Shell-Job', {
      status: 'InProgress',
      instanceCount: 2,
      creationTime: '-5m',
      ssh: { nodes: 2, owner: me.userId },
    });
    b.trainingJob('Offline-Job', { status: 'InProgress', creationTime: '-5m' });
    b.trainingRegistration('Offline-Job', { pingStatus: 'ConnectionLost' });
    emulator = await startEmulator({ scenario: b.identities(me, denied).build() });
    cli = cliHome(emulator);
  });
  /** Processes a test started, killed after a failed test too (a hung wait never reaches its finally). */
  const children = new Set<ChildProcess>();
  const track = <T extends ChildProcess>(child: T): T => {
    children.add(child);
    child.once('close', () => children.delete(child));
    return child;
  };
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL');
  });
  after(async () => {
    await emulator?.close();
    cli?.remove();
  });

  /** The managed instance of the node whose hostname is `host`. */
  const instanceOf = (host: string): string => {
    const container = emulator.containers.list().find((c) => c.spec.hostname === host);
    const instanceId = container && emulator.containers.instanceOf(container.id);
    assert.ok(instanceId, `${host} is registered`);
    return instanceId;
  };

  const shell = (args: string[], input: string, env?: NodeJS.ProcessEnv): Promise<CliRun> =>
    cli.piped(args, input, env);

  it('runs piped commands in the container: its hostname, no echo, no prompt', async () => {
    const since = emulator.calls.lastSeq;
    const result = await shell(['shell', jobAlias], 'hostname\necho "two $((1 + 1))"\nid -un\n');
    assert.equal(result.code, 0, result.stderr);
    // AWS's agent runs as root without RunAs, so it creates ssm-user and runs the shell as that user.
    assert.equal(result.stdout, 'algo-1\ntwo 2\nssm-user\n');
    assert.equal(emulator.calls.count({ operation: 'StartSession', since }), 1);
    // The shell exited, and the session is ended on the service too.
    assert.ok(emulator.calls.count({ operation: 'TerminateSession', since }) >= 1);
    const relays = (await emulator.containers.installSessions()).relays();
    assert.ok(relays.length > 0 && relays.every((relay) => relay.isClosed));
  });

  it('reaches the node the alias names (algo-2)', async () => {
    const result = await shell(['shell', `algo-2.${jobAlias}`], 'hostname\n');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'algo-2\n');
  });

  it("exits with the remote shell's status", async () => {
    const exit3 = await shell(['shell', jobAlias], 'echo before\nexit 3\necho never\n');
    assert.equal(exit3.code, 3, exit3.stderr);
    assert.equal(exit3.stdout, 'before\n');
    const lastCommand = await shell(['shell', jobAlias], 'false');
    assert.equal(lastCommand.code, 1, lastCommand.stderr);
  });

  it('passes long lines and many lines through unchanged (no tty line limit)', async () => {
    const long = 'x'.repeat(20_000);
    const lines = Array.from({ length: 300 }, (_, i) => `echo line-${i}`).join('\n');
    const result = await shell(['shell', jobAlias], `printf %s ${long} | wc -c\n${lines}\n`);
    assert.equal(result.code, 0, result.stderr);
    const expected = ['20000', ...Array.from({ length: 300 }, (_, i) => `line-${i}`)].join('\n');
    assert.equal(result.stdout.replace(/^ +/, ''), `${expected}\n`);
  });

  it('on a terminal: raw mode, the terminal size, keys as typed (run under script(1) for a pty)', async () => {
    const command = [process.execPath, cliPath, 'shell', jobAlias].map(shellWord).join(' ');
    const child = track(
      spawn('script', ['-qfec', command, '/dev/null'], {
        env: { ...cli.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
    let seen = '';
    const waiters: (() => void)[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      for (const wake of waiters.splice(0)) wake();
    });
    const untilOutput = async (pattern: RegExp): Promise<void> => {
      while (!pattern.test(seen)) await new Promise<void>((resolve) => waiters.push(resolve));
    };
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await untilOutput(/\$ $/);
    // script(1)'s pty has no size (0x0), so the client sends 80x24; Enter is \r, as a terminal
    // sends it. libuv's raw mode keeps ONLCR, so the local pty turns the remote \r\n into \r\r\n.
    child.stdin.write('stty size; hostname\r');
    await untilOutput(/24 80\r+\nalgo-1\r+\n/);
    // Raw mode: Ctrl-C is a byte for the remote shell, not SIGINT for sm-ssh.
    child.stdin.write("sh -c 'echo started; exec sleep 60'\r");
    await untilOutput(/started\r+\n/);
    child.stdin.write('\x03');
    await untilOutput(/started\r+\n[\s\S]*\$ $/);
    child.stdin.write('echo still-$((40 + 2))\r');
    await untilOutput(/still-42\r+\n/);
    child.stdin.write('exit\r');
    assert.equal(await exited, 0);
  });

  it('takes a raw SSM target with --target', async () => {
    const result = await shell(['shell', '--target', instanceOf('algo-2')], 'hostname\n');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'algo-2\n');
  });

  it('an offline node: the typed error, no session started', async () => {
    const since = emulator.calls.lastSeq;
    const result = await shell(['shell', offlineAlias], 'hostname\n');
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /is ConnectionLost/);
    assert.equal(result.stdout, '');
    assert.equal(emulator.calls.count({ operation: 'StartSession', since }), 0);
  });

  it('ssm:StartSession denied: exit 4, naming the IAM action', async () => {
    const denyHome = cliHome(emulator, { identity: 'no-sessions' });
    try {
      const result = await shell(['shell', '--target', instanceOf('algo-1')], 'hostname\n', denyHome.env);
      assert.equal(result.code, 4, result.stderr);
      assert.match(result.stderr, /ssm:StartSession/);
    } finally {
      denyHome.remove();
    }
  });
});
