import * as assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { installSpaceRuntime } from '../../emulator/containers/spaceRuntime';
import { ScenarioBuilder, me, testAccount } from '../../builders/scenarioBuilder';
import { cliHome, cliPath } from '../cli/cliHarness';
import type { CliHome } from '../cli/cliHarness';

const execFileAsync = promisify(execFile);
const domainId = 'd-spacee2e0001';
const spaceArn = (space: string): string =>
  `arn:aws:sagemaker:us-east-1:${testAccount}:space/${domainId}/${space}`;
const alias = (space: string): string => `${space}.${domainId}.space.sagemaker`;

/**
 * A Studio space with remote access, end to end with real processes: `sm-ssh space start` (UpdateSpace,
 * CreateApp, the space's container with SageMaker's own agent and sshd), `sm-ssh connect` (host key
 * read through sagemaker:StartSession and pinned), a plain `ssh <alias>` as sagemaker-user through
 * the ProxyCommand, `sm-ssh space stop`; and the refusals, each naming the fix.
 */
describe('Studio space with remote access: start, connect, ssh, stop', function () {
  this.timeout(180_000);
  let emulator: Emulator;
  let cli: CliHome;
  let denied: CliHome;
  const issuedTokens: string[] = [];
  /** Sessions to end as soon as they are issued (a stream dropped before the key exchange). */
  let sessionsToDrop = 0;

  before(async () => {
    const b = new ScenarioBuilder().identities(
      me,
      {
        name: 'denied',
        accessKeyId: 'AKIADENIEDEXAMPLE',
        secretAccessKey: 'denied-secret',
        arn: `arn:aws:iam::${testAccount}:user/denied`,
        userId: 'AIDADENIEDEXAMPLE',
        deny: [{ action: 'sagemaker:StartSession', resource: spaceArn('dev') }],
      },
      {
        name: 'execution-role',
        accessKeyId: 'ASIAEXECUTIONROLE',
        secretAccessKey: 'execution-role-secret',
        sessionToken: 'ZXhlY3V0aW9uLXJvbGUtc2Vzc2lvbg==',
        arn: `arn:aws:sts::${testAccount}:assumed-role/SageMakerExecutionRole/SageMaker`,
        userId: 'AROAEXECUTIONROLE:SageMaker',
      },
    );
    b.domain({
      id: domainId,
      name: 'remote',
      spaces: [
        {
          name: 'dev',
          appType: 'JupyterLab',
          remoteAccess: 'DISABLED',
          apps: [{ type: 'JupyterLab', name: 'default', status: 'Deleted', instanceType: 'ml.m5.large' }],
        },
        {
          name: 'tiny',
          appType: 'JupyterLab',
          apps: [{ type: 'JupyterLab', name: 'default', status: 'Deleted', instanceType: 'ml.t3.medium' }],
        },
        { name: 'idle', appType: 'CodeEditor', remoteAccess: 'ENABLED' },
      ],
    });
    emulator = await startEmulator({ scenario: { ...b.build(), options: { stopDelayMs: 500 } } });
    const runtime = installSpaceRuntime(emulator);
    const startSession = runtime.startSession.bind(runtime);
    runtime.startSession = (app, endpoint) => {
      const session = startSession(app, endpoint);
      if (session) issuedTokens.push(session.TokenValue);
      if (session && sessionsToDrop > 0) {
        sessionsToDrop--;
        void emulator.containers.sessions?.terminateSession({ SessionId: session.SessionId });
      }
      return session;
    };
    cli = cliHome(emulator);
    denied = cliHome(emulator, { identity: 'denied' });
  });
  after(async () => {
    await emulator?.close();
    cli?.remove();
    denied?.remove();
  });

  it('starts the space with remote access and lists it', async () => {
    const started = await cli.run(['space', 'start', alias('dev')]);
    assert.equal(started.code, 0, started.stderr);
    assert.equal(started.stdout, `${alias('dev')}\trunning\tml.m5.large\n`);
    const listed = await cli.run(['list', 'space.sagemaker']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(
      listed.stdout,
      new RegExp(`^RemoteAccess\\tspace\\tInService\\t${alias('dev').replace(/\./g, '\\.')}$`, 'm'),
    );
  });

  it('connects: the host key is pinned, ssh runs as sagemaker-user in its home', async () => {
    const connected = await cli.run(['connect', alias('dev'), 'whoami']);
    assert.equal(connected.code, 0, connected.stderr);
    assert.equal(connected.stdout.trim(), 'sagemaker-user');
    const pinned = readFileSync(cli.knownHosts, 'utf8');
    assert.match(pinned, new RegExp(`^${alias('dev').replace(/\./g, '\\.')} ssh-ed25519 `, 'm'));
    assert.match(readFileSync(cli.managedConfig, 'utf8'), /StrictHostKeyChecking yes/);

    // A plain ssh from any terminal: the ProxyCommand calls sagemaker:StartSession itself, once.
    const before = emulator.calls.lastSeq;
    assert.equal(await cli.ssh(alias('dev'), 'id -un; pwd'), 'sagemaker-user\n/home/sagemaker-user');
    // Ours only: the space's agent makes calls of its own.
    const calls = emulator.calls
      .filter({ since: before })
      .filter((call) => call.identity === me.arn)
      .map((call) => `${call.service}:${call.operation}`);
    // (the connect before may still end its session meanwhile: TerminateSession is not counted)
    assert.deepEqual(
      calls.filter((call) => call !== 'ssm:TerminateSession'),
      ['sagemaker:StartSession'],
      calls.join(', '),
    );
  });

  it('a session that ends before the key exchange is followed by one more, then the key is pinned', async () => {
    const other = cliHome(emulator);
    try {
      sessionsToDrop = 1;
      const before = emulator.calls.lastSeq;
      const result = await other.run(['connect', alias('dev'), 'true'], { SM_SSH_LOG_LEVEL: 'info' });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(sessionsToDrop, 0);
      assert.match(result.stderr, /host key scan \(session 1 of 2\) ended: /);
      const starts = emulator.calls
        .filter({ since: before })
        .filter((call) => call.identity === me.arn && call.operation === 'StartSession');
      assert.equal(starts.length, 3, 'two scans, then the ssh session');
      assert.match(readFileSync(other.knownHosts, 'utf8'), /^\S+ ssh-ed25519 /m);
    } finally {
      sessionsToDrop = 0;
      other.remove();
    }
  });

  it('sm-ssh config writes the space’s host without connecting', async () => {
    const other = cliHome(emulator);
    try {
      const result = await other.run(['config', alias('dev')]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`^${alias('dev').replace(/\./g, '\\.')}: written to `));
      assert.equal(await other.ssh(alias('dev'), 'id -un'), 'sagemaker-user');
    } finally {
      other.remove();
    }
  });

  it('never logs or stores the session token, even at trace level', async () => {
    const { stderr } = await execFileAsync(
      'ssh',
      ['-F', cli.userConfig, '-o', 'BatchMode=yes', alias('dev'), 'true'],
      { env: { ...cli.env, SM_SSH_LOG_LEVEL: 'trace' }, timeout: 90_000 },
    );
    assert.match(stderr, /sagemaker:StartSession opened session/, 'the ProxyCommand logged at trace level');
    assert.ok(issuedTokens.length >= 3, `tokens issued: ${issuedTokens.length}`);
    const stored = [
      cli.managedConfig,
      cli.knownHosts,
      join(cli.home, 'state', 'sagemaker-ssh', 'spaces.json'),
    ]
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    for (const token of issuedTokens) {
      assert.ok(!stderr.includes(token), 'a token reached the log');
      assert.ok(!stored.includes(token), 'a token was written to a file');
    }
  });

  it('sm-ssh shell runs a piped script in the space as sagemaker-user, with its exit status', async () => {
    const child = spawn(process.execPath, [cliPath, 'shell', alias('dev')], {
      env: cli.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end('id -un\npwd\necho oops >&2\nexit 3\n');
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 3, stderr);
    assert.equal(stdout, 'sagemaker-user\n/home/sagemaker-user\n');
    assert.match(stderr, /oops/);
  });

  it('a denied sagemaker:StartSession names the IAM action (exit 4)', async () => {
    const result = await denied.run(['connect', alias('dev'), 'true']);
    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stderr, /sagemaker:StartSession/);
    assert.match(result.stderr, new RegExp(spaceArn('dev')));
  });

  it('a space whose instance type cannot run remote access: nothing changes, the fix is named', async () => {
    const result = await cli.run(['space', 'start', alias('tiny')]);
    assert.equal(result.code, 9, result.stderr);
    assert.match(result.stderr, /ml\.t3\.medium/);
    assert.match(result.stderr, /--instance-type ml\.m5\.large/);
    assert.equal(emulator.calls.count({ operation: 'CreateApp' }), 1, 'only dev was started');
  });

  it('a stopped space says how to start it (exit 3)', async () => {
    const result = await cli.run(['connect', alias('idle'), 'true']);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, new RegExp(`sm-ssh space start ${alias('idle').replace(/\./g, '\\.')}`));
  });

  it('stops the space; ssh then fails with the reason', async () => {
    const stopped = await cli.run(['space', 'stop', alias('dev')]);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal(stopped.stdout, `${alias('dev')}\tstopped\n`);
    await assert.rejects(cli.ssh(alias('dev'), 'true'), /is not running/);
  });

  it('starting it again re-pins the new app’s host key, so plain ssh keeps working', async () => {
    const before = readFileSync(cli.knownHosts, 'utf8');
    const started = await cli.run(['space', 'start', alias('dev')]);
    assert.equal(started.code, 0, started.stderr);
    assert.notEqual(readFileSync(cli.knownHosts, 'utf8'), before, 'a fresh app has fresh host keys');
    assert.equal(await cli.ssh(alias('dev'), 'id -un'), 'sagemaker-user');
  });
});
