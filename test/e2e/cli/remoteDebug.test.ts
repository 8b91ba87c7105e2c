import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { remoteDebugNodeTarget } from '../../../src/targets/remoteDebugNode';
import { targetAlias } from '../../../src/targets/targetAlias';
import { cliHome } from './cliHarness';
import type { CliHome, CliRun } from './cliHarness';

const alias1 = targetAlias(remoteDebugNodeTarget('Debug-Job'));
const alias2 = targetAlias(remoteDebugNodeTarget('Debug-Job', 2));
const noSshdAlias = targetAlias(remoteDebugNodeTarget('Bare-Job'));
const plainAlias = targetAlias(remoteDebugNodeTarget('Plain-Job'));

/**
 * Remote-debug training jobs (no payload) from the CLI, against AWS's agent in native containers:
 * `sm-ssh shell` on a node, `sm-ssh connect` then plain `ssh`, and the bad inputs.
 */
describe('sm-ssh with remote-debug training jobs (native targets, AWS agent)', function () {
  this.timeout(240_000);
  let emulator: Emulator;
  let cli: CliHome;

  before(async () => {
    const b = new ScenarioBuilder();
    b.trainingJob('Debug-Job', { instanceCount: 2, creationTime: '-5m', remoteDebug: { nodes: 2 } });
    b.trainingJob('Bare-Job', { creationTime: '-5m', remoteDebug: { sshd: false } });
    b.trainingJob('Plain-Job', { creationTime: '-5m' });
    b.trainingJob('Xgb-Job', { creationTime: '-5m', algorithmName: 'xgboost' });
    emulator = await startEmulator({ scenario: b.build() });
    cli = cliHome(emulator);
  });
  after(async () => {
    // Our sshd daemons live in the containers' PID namespaces and end with them.
    await emulator?.close();
    cli?.remove();
  });

  const piped = (args: string[], input: string): Promise<CliRun> => cli.piped(args, input);

  it('sm-ssh list shows a row per remote-debug node, and the debug suffix filters them', async () => {
    const result = await cli.run(['list', 'debug.sagemaker']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      result.stdout.trim().split('\n').sort(),
      [
        `SSM:debug\tdebug\tInProgress\t${alias2}`,
        `SSM:debug\tdebug\tInProgress\t${noSshdAlias}`,
        `SSM:debug\tdebug\tInProgress\t${alias1}`,
      ].sort(),
    );
  });

  it('sm-ssh shell runs hostname on algo-2 through the native target', async () => {
    const since = emulator.calls.lastSeq;
    const result = await piped(['shell', alias2], 'hostname\n');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'algo-2\n');
    const starts = emulator.calls
      .all()
      .filter((call) => call.seq > since && call.operation === 'StartSession');
    assert.equal(starts.length, 1);
    assert.equal(
      emulator.calls.count({ operation: 'DescribeInstanceInformation', since }),
      0,
      'no mi- lookup',
    );
  });

  it('connect brings up sshd over a shell session, pins its host keys; then plain ssh runs a command', async () => {
    const since = emulator.calls.lastSeq;
    const started = Date.now();
    const connect = await cli.run(['connect', alias1, 'hostname']);
    const connectMs = Date.now() - started;
    assert.equal(connect.code, 0, connect.stderr);
    assert.equal(connect.stdout.trim(), 'algo-1');
    // Only the user's calls: the agents poll and report on their own.
    const calls = emulator.calls
      .all()
      .filter((call) => call.seq > since && call.identity === me.arn)
      .map((call) => call.operation);
    // One shell session (the sshd script) and one port session (ssh's ProxyCommand).
    assert.equal(calls.filter((operation) => operation === 'StartSession').length, 2, calls.join(' '));
    console.log(`      connect + ssh hostname: ${connectMs} ms, AWS calls: ${calls.join(', ')}`);
    assert.match(
      readFileSync(cli.knownHosts, 'utf8'),
      new RegExp(`^${alias1.replace(/\./g, '\\.')} ssh-ed25519 `, 'm'),
    );
    assert.equal(await cli.ssh(alias1, 'hostname; id -un'), 'algo-1\nssm-user');
    // A second connect reuses the running sshd: same port, nothing restarted.
    const again = await cli.run(['connect', alias1, 'true']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /already running on port \d+/);
  });

  it('an interactive ssh (with a terminal) runs a login shell as ssm-user', async () => {
    // Our sshd runs as the session's user, so the pty it hands out must already be the user's (group tty).
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        'ssh',
        ['-F', cli.userConfig, '-tt', alias1],
        { env: cli.env, timeout: 90_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
      child.stdin!.end('echo "tty=$(tty) user=$(id -un)"; exit\n');
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /tty=\/dev\/pts\/\d+ user=ssm-user/);
  });

  it('plain ssh when our record of the port is gone: the ProxyCommand brings sshd up (reused) itself', async () => {
    const config = await cli.run(['connect', alias2, 'true']);
    assert.equal(config.code, 0, config.stderr);
    rmSync(cli.hostsJson);
    const since = emulator.calls.lastSeq;
    assert.equal(await cli.ssh(alias2, 'hostname'), 'algo-2');
    assert.equal(
      emulator.calls.count({ operation: 'StartSession', since }),
      2,
      'shell session, then port session',
    );
  });

  it('stop-waiting: says nothing waits where no sm-wait runs, and releases one that waits', async () => {
    const nothing = await cli.run(['stop-waiting', alias2]);
    assert.equal(nothing.code, 1, nothing.stderr);
    assert.match(nothing.stderr, /Nothing waits in algo-2 of Debug-Job: no sm-wait process runs there/);
    const node = emulator.containers
      .nodes()
      .find((candidate) => candidate.nativeTarget?.endsWith('Debug-Job_algo-2'))!;
    await node.container.writeFile(
      '/usr/local/bin/sm-wait',
      '#!/bin/sh\nwhile [ ! -f /tmp/sm-wait-stopped ]; do sleep 0.1; done\necho released\n',
    );
    await node.container.exec('chmod 755 /usr/local/bin/sm-wait');
    const waiting = node.container.spawn(['/usr/local/bin/sm-wait']);
    const released = new Promise<number | null>((resolve) => waiting.once('exit', resolve));
    const result = await cli.run(['stop-waiting', alias2]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /sm-wait-stopped created on algo-2/);
    assert.equal(await released, 0);
  });

  it('an image without sshd: NoSshdInImage, naming Open Terminal and sm-ssh shell', async () => {
    const result = await cli.run(['connect', noSshdAlias, 'true']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /has no sshd in its image/);
    assert.match(result.stderr, /sm-ssh shell/);
  });

  it('a job without remote debug: StartSession finds no agent, and the error says to enable it', async () => {
    const since = emulator.calls.lastSeq;
    const result = await piped(['shell', plainAlias], 'hostname\n');
    assert.equal(result.code, 1, result.stderr);
    assert.equal(emulator.calls.count({ operation: 'StartSession', errorsOnly: true, since }), 1);
    assert.match(result.stderr, /Remote debug is off for training job "Plain-Job"/);
    assert.match(
      result.stderr,
      /aws sagemaker update-training-job --training-job-name Plain-Job --remote-debug-config EnableRemoteDebug=true/,
    );
  });

  it('a built-in algorithm job: remote debug is not available for it', async () => {
    const result = await cli.run(['connect', targetAlias(remoteDebugNodeTarget('Xgb-Job')), 'true']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /not available for training job "Xgb-Job": it runs the built-in algorithm xgboost/,
    );
  });

  it('a node the job does not have: the plain TargetNotConnected (exit 3)', async () => {
    const result = await piped(['shell', targetAlias(remoteDebugNodeTarget('Debug-Job', 3))], 'hostname\n');
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /sagemaker-training-job:Debug-Job_algo-3 is not connected/);
  });
});
