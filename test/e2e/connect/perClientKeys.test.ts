import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { targetAlias } from '../../../src/targets/targetAlias';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import type { SimulatedContainer } from '../../emulator/containers/container';
import { writeEmulatorProfile } from '../../builders/awsEnvironment';

const run = promisify(execFile);
const cli = resolve(__dirname, '../../../src/cli/smSsh.js');
const alias = targetAlias({ kind: 'trainingNode', jobName: 'shared-job' });

interface Client {
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
}

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Issue 13 defects 4 and 6: two clients (two laptops: two HOMEs, two state directories) on one
 * container, real `sm-ssh` processes, real OpenSSH through our ProxyCommand, the emulator's
 * simulated container running the real key-install script.
 */
describe('per-client keys: two clients on one container', function () {
  this.timeout(180_000);
  let emulator: Emulator;
  let container: SimulatedContainer;
  let first: Client;
  let second: Client;

  function makeClient(name: string): Client {
    const home = mkdtempSync(join(tmpdir(), `smssh-${name}-`));
    writeEmulatorProfile(emulator, 'me', join(home, 'aws-config'), join(home, 'aws-credentials'));
    return {
      home,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        AWS_CONFIG_FILE: join(home, 'aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        // OpenSSH finds ~/.ssh/config through the passwd entry, not $HOME: use a config of our own.
        SM_SSH_CONFIG_FILE: join(home, '.ssh', 'cli_config'),
      },
    };
  }

  async function outcome(command: string, args: string[], client: Client): Promise<Outcome> {
    try {
      const { stdout, stderr } = await run(command, args, { env: client.env, timeout: 120_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      if (typeof failed.code !== 'number') throw error;
      return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  const smSsh = (client: Client, ...args: string[]): Promise<Outcome> =>
    outcome(process.execPath, [cli, ...args], client);
  const ssh = (client: Client, command: string): Promise<Outcome> =>
    outcome('ssh', ['-F', client.env.SM_SSH_CONFIG_FILE!, '-o', 'BatchMode=yes', alias, command], client);
  const sendCommandsSince = (since: number): number =>
    emulator.calls.filter({ since, operation: 'SendCommand' }).length;
  const authorizedKeys = async (): Promise<string[]> =>
    (await container.readFile('/etc/ssh/authorized_keys')).trim().split('\n');
  const publicKeyOf = (client: Client): string =>
    readFileSync(
      join(client.home, '.local', 'state', 'sagemaker-ssh', 'keys', `${alias}.pub`),
      'utf8',
    ).trim();

  /** What happens when someone edits the container's keys by hand: the client's key is gone. */
  async function removeKeyInContainer(client: Client): Promise<void> {
    const key = publicKeyOf(client);
    const files = await container.exec(`grep -lxF -- '${key}' /etc/ssh/authorized_keys.d/*.pub`);
    await container.exec(`rm -f ${files.stdout.trim().split('\n').join(' ')}`);
    await container.exec(
      `grep -vxF -- '${key}' /etc/ssh/authorized_keys >/tmp/keys; cat /tmp/keys >/etc/ssh/authorized_keys`,
    );
    assert.ok(!(await authorizedKeys()).includes(key));
  }

  before(async () => {
    const b = new ScenarioBuilder();
    b.trainingJob('shared-job', { status: 'InProgress', creationTime: '-5m', ssh: { owner: me.userId } });
    emulator = await startEmulator({ scenario: b.build() });
    container = emulator.containers.nodes().find((node) => node.host === 'algo-1')!.container;
    first = makeClient('laptop-1');
    second = makeClient('laptop-2');
  });
  after(async () => {
    await emulator.close();
    for (const client of [first, second]) rmSync(client.home, { recursive: true, force: true });
  });

  it('both clients connect, keep working, and each key has its own file named by fingerprint', async () => {
    assert.equal((await smSsh(first, 'config', alias)).code, 0);
    assert.equal((await ssh(first, 'hostname')).stdout.trim(), 'algo-1');
    assert.equal((await smSsh(second, 'config', alias)).code, 0);
    assert.equal((await ssh(second, 'hostname')).stdout.trim(), 'algo-1');
    // The first client's record still says "installed": it must still be true.
    const since = emulator.calls.lastSeq;
    const again = await ssh(first, 'hostname');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.trim(), 'algo-1');
    assert.equal(sendCommandsSince(since), 0, 'no push when the key is there');

    assert.deepEqual(await authorizedKeys(), [publicKeyOf(first), publicKeyOf(second)]);
    const files = (await container.exec('ls /etc/ssh/authorized_keys.d')).stdout.trim().split('\n');
    assert.equal(files.length, 2);
    for (const file of files) assert.match(file, /^sha256-[A-Za-z0-9_-]{43}\.pub$/);
    const hosts = JSON.parse(
      readFileSync(join(first.home, '.local', 'state', 'sagemaker-ssh', 'hosts.json'), 'utf8'),
    );
    assert.match(hosts.hosts[alias].keyFingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('sends no credential in any SendCommand: the public key travels inline', async () => {
    const aws = emulator.env('me');
    const commands = emulator.containers.commands.all();
    assert.ok(commands.length >= 2);
    for (const command of commands) {
      const text = JSON.stringify(command.parameters);
      const decoded = [...text.matchAll(/='([A-Za-z0-9+/=]+)'/g)]
        .map((match) => Buffer.from(match[1]!, 'base64').toString('utf8'))
        .join('\n');
      for (const secret of [
        'X-Amz-Credential',
        'X-Amz-Security-Token',
        'X-Amz-Signature',
        'https://',
        aws.AWS_ACCESS_KEY_ID!,
        aws.AWS_SECRET_ACCESS_KEY!,
      ]) {
        assert.ok(!text.includes(secret) && !decoded.includes(secret), `${secret} in ${text}`);
      }
    }
    const keyInstalls = commands.filter((command) =>
      JSON.stringify(command.parameters).includes('SMSSH_KEY='),
    );
    const inline = keyInstalls.map((command) =>
      Buffer.from(/SMSSH_KEY='([^']+)'/.exec(command.commands.join('\n'))![1]!, 'base64').toString('utf8'),
    );
    assert.ok(inline.includes(publicKeyOf(first)) && inline.includes(publicKeyOf(second)));
  });

  it('sm-ssh connect: a key removed in the container is installed again exactly once, and ssh succeeds', async () => {
    await removeKeyInContainer(first);
    const since = emulator.calls.lastSeq;
    const result = await smSsh(first, 'connect', alias, 'hostname');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'algo-1');
    assert.match(result.stderr, /Permission denied \(publickey\)/);
    assert.equal(sendCommandsSince(since), 1);
    assert.ok((await authorizedKeys()).includes(publicKeyOf(second)), "the other client's key stays");
    assert.equal((await ssh(second, 'hostname')).stdout.trim(), 'algo-1');
  });

  it('plain ssh (the Remote-SSH path): a refused login makes the next connection install the key once', async () => {
    await removeKeyInContainer(second);
    const since = emulator.calls.lastSeq;
    const refused = await ssh(second, 'hostname');
    assert.equal(refused.code, 255);
    assert.match(refused.stderr, /Permission denied \(publickey\)/);
    assert.match(refused.stderr, /the next connection installs the key again/);
    assert.equal(sendCommandsSince(since), 0);

    const retried = await ssh(second, 'hostname');
    assert.equal(retried.code, 0, retried.stderr);
    assert.equal(retried.stdout.trim(), 'algo-1');
    assert.equal(sendCommandsSince(since), 1);
    const later = await ssh(second, 'hostname');
    assert.equal(later.code, 0, later.stderr);
    assert.equal(sendCommandsSince(since), 1, 'one install, not one per connection');
    assert.deepEqual(readdirSync(join(second.home, '.local', 'state', 'sagemaker-ssh', 'rejected-keys')), []);
  });

  it('two more clients installing at the same moment keep every key (the install holds a lock)', async () => {
    const late = [makeClient('laptop-3'), makeClient('laptop-4')];
    try {
      const results = await Promise.all(late.map((client) => smSsh(client, 'config', alias)));
      assert.deepEqual(
        results.map((result) => result.code),
        [0, 0],
        results.map((result) => result.stderr).join('\n'),
      );
      const keys = await authorizedKeys();
      for (const client of [first, second, ...late]) assert.ok(keys.includes(publicKeyOf(client)));
      for (const client of [first, ...late])
        assert.equal((await ssh(client, 'hostname')).stdout.trim(), 'algo-1');
    } finally {
      for (const client of late) rmSync(client.home, { recursive: true, force: true });
    }
  });

  it('plain ssh: sessions that end normally never trigger an install', async () => {
    const since = emulator.calls.lastSeq;
    for (const command of ['true', 'hostname', 'exit 3', 'head -c 200000 /dev/zero | wc -c']) {
      await ssh(first, command);
    }
    assert.equal(sendCommandsSince(since), 0);
  });
  it('sm-ssh connect: a key refused even after its install is installed once, then explained', async () => {
    // sshd's StrictModes ignores authorized_keys files under a world-writable directory.
    await container.exec('chmod 777 /etc/ssh');
    try {
      const since = emulator.calls.lastSeq;
      const result = await smSsh(first, 'connect', alias, 'hostname');
      assert.equal(result.code, 255);
      assert.match(
        result.stderr,
        /refused the key it was just given: .*AuthorizedKeysFile.*sm-setup-ssh configure/s,
      );
      assert.equal(sendCommandsSince(since), 1);
    } finally {
      await container.exec('chmod 755 /etc/ssh');
    }
  });
});
