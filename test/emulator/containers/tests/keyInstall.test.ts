import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { installKeyScript, parseHostKeys, stopWaitingScript } from '../../../../src/connect/remoteScripts';
import { runShellCommand } from '../../../../src/connect/runShellCommand';
import { throwawaySshArgs, pinnedSshArgs } from '../../../builders/throwawaySsh';
import { runHostProcess } from '../processes';
import { clientsFor, useEmulator } from '../../../support/emulator';
import { DEVELOPER, EXECUTION_ROLE, OWNER_USER_ID } from './helpers';

const BUCKET = 'sagemaker-us-east-1-123456789012';
const JOB = 'llama-finetune-ssh';

describe("containers: the extension's key install and stop-waiting scripts in a container", () => {
  const emulator = useEmulator({
    identities: [DEVELOPER, EXECUTION_ROLE],
    sagemaker: {
      trainingJobs: [
        {
          name: JOB,
          status: 'InProgress',
          instanceCount: 2,
          environment: { SSH_OWNER_TAG: OWNER_USER_ID, SSH_INSTANCE_COUNT: '2' },
          ssh: { nodes: 2 },
        },
      ],
    },
    s3: { buckets: [{ name: BUCKET }] },
  });
  let dir: string;
  let keyPath: string;
  let publicKey: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'containers-keys-'));
    keyPath = path.join(dir, 'id_ed25519');
    const generated = await runHostProcess('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      'laptop',
      '-f',
      keyPath,
    ]);
    assert.equal(generated.code, 0, generated.stderr);
    publicKey = (await readFile(`${keyPath}.pub`, 'utf8')).trim();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const node = (host: string) =>
    emulator()
      .containers.nodes()
      .find((candidate) => candidate.host === host)!;

  /** What the extension's connect flow does: run installKeyScript (the key inline) with SendCommand. */
  async function installKey(host: string, keyName: string, key: string, replaces?: string) {
    const { ssm } = clientsFor(emulator());
    return runShellCommand(ssm, {
      instanceId: node(host).instanceId!,
      purpose: 'Installing the SSH key',
      lines: installKeyScript({ keyName, publicKey: key, replaces }),
    });
  }

  it('installs the key once, however often it runs, with no S3 or AWS call from the container', async () => {
    const before = emulator().calls.lastSeq;
    const first = await installKey('algo-1', 'llama-algo-1', publicKey);
    assert.match(first.stdout, /installed key llama-algo-1\n/);
    const containerCalls = emulator()
      .calls.filter({ since: before })
      .filter((call) => call.identity !== DEVELOPER.arn);
    assert.deepEqual(
      containerCalls.map((call) => call.operation),
      [],
    );

    await installKey('algo-1', 'llama-algo-1', publicKey);
    const keys = (await node('algo-1').container.readFile('/etc/ssh/authorized_keys')).trim().split('\n');
    assert.deepEqual(keys, [publicKey]);
    assert.equal(existsSync(path.join('/etc/ssh', 'authorized_keys.d', 'llama-algo-1.pub')), false);
    assert.equal(
      await node('algo-2')
        .container.exec('test -e /etc/ssh/authorized_keys && echo present || echo absent')
        .then((r) => r.stdout),
      'absent\n',
    );
  });

  it('keeps the keys of other clients, and replaces only the named previous key of this one', async () => {
    const other = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherClientOtherClientOtherClientOther1 teammate';
    const rotated = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIRotatedKeyRotatedKeyRotatedKeyRotatedK1 laptop';
    await installKey('algo-2', 'sha256-first', publicKey);
    await installKey('algo-2', 'sha256-teammate', other);
    const read = async (): Promise<string[]> =>
      (await node('algo-2').container.readFile('/etc/ssh/authorized_keys')).trim().split('\n');
    assert.deepEqual(await read(), [publicKey, other]);
    const replaced = await installKey('algo-2', 'sha256-rotated', rotated, 'sha256-first');
    assert.match(replaced.stdout, /installed key sha256-rotated \(replacing sha256-first\)/);
    assert.deepEqual(await read(), [other, rotated]);
    const files = await node('algo-2').container.exec('ls /etc/ssh/authorized_keys.d');
    assert.equal(files.stdout, 'sha256-rotated.pub\nsha256-teammate.pub\n');
  });

  it('refuses a key name or key that could escape its file, and installs nothing', async () => {
    const { ssm } = clientsFor(emulator());
    const container = node('algo-2').container;
    const authorizedKeys = async (): Promise<string> =>
      (await container.exec('cat /etc/ssh/authorized_keys 2>/dev/null || true')).stdout;
    const keysBefore = await authorizedKeys();
    for (const [keyName, key] of [
      ['../evil', publicKey],
      ['sha256-ok', `${publicKey}\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIsecond second`],
      ['sha256-ok', 'command="sh" ssh-ed25519 AAAA'],
    ] as const) {
      await assert.rejects(
        runShellCommand(ssm, {
          instanceId: node('algo-2').instanceId!,
          purpose: 'Installing the SSH key',
          lines: installKeyScript({ keyName, publicKey: key }),
        }),
        (error: { code?: string }) => error.code === 'RemoteCommandFailed',
      );
    }
    const files = await container.exec('ls /etc/ssh/authorized_keys.d');
    assert.doesNotMatch(files.stdout, /sha256-ok|evil/);
    // '../evil' would have landed beside authorized_keys.d, which the listing above does not see.
    assert.equal(
      (await container.exec('test -e /etc/ssh/evil.pub')).code,
      1,
      '/etc/ssh/evil.pub was written',
    );
    assert.equal(await authorizedKeys(), keysBefore, 'authorized_keys changed');
  });

  it('returns the container host keys, which pin a real ssh login that sees the saved environment', async () => {
    const result = await installKey('algo-1', 'llama-algo-1', publicKey);
    const hostKeys = parseHostKeys(result.stdout);
    const { container } = node('algo-1');
    const expected = (await container.exec('cat /etc/ssh/ssh_host_*_key.pub')).stdout.trim().split('\n');
    assert.deepEqual(hostKeys, expected);
    const knownHosts = path.join(dir, 'known_hosts');
    await writeFile(
      knownHosts,
      hostKeys.map((line) => `[127.0.0.1]:${container.sshdPort} ${line}`).join('\n') + '\n',
    );
    const ssh = await runHostProcess('ssh', [
      ...pinnedSshArgs(keyPath, knownHosts),
      '-p',
      String(container.sshdPort),
      'root@127.0.0.1',
      'cat /etc/environment; echo "---"; hostname; printenv TRAINING_JOB_NAME SM_HOSTS START_SSH',
    ]);
    assert.equal(ssh.code, 0, ssh.stderr);
    const [environment, session] = ssh.stdout.split('---\n');
    assert.match(environment!, new RegExp(`^TRAINING_JOB_NAME=${JOB}$`, 'm'));
    assert.match(environment!, /^START_SSH=false$/m);
    assert.equal(session, `algo-1\n${JOB}\n["algo-1","algo-2"]\nfalse\n`);
  });

  it('refuses a login with a key that was not installed', async () => {
    const otherKey = path.join(dir, 'other');
    await runHostProcess('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    const { container } = node('algo-1');
    const ssh = await runHostProcess('ssh', [
      ...throwawaySshArgs(otherKey),
      '-p',
      String(container.sshdPort),
      'root@127.0.0.1',
      'true',
    ]);
    assert.equal(ssh.code, 255);
    assert.match(ssh.stderr, /Permission denied \(publickey\)/);
  });

  it('stop-waiting creates /tmp/sm-wait-stopped in that container only, and says so in the job log', async () => {
    const { ssm } = clientsFor(emulator());
    const result = await runShellCommand(ssm, {
      instanceId: node('algo-2').instanceId!,
      purpose: 'Stop waiting',
      lines: stopWaitingScript(),
    });
    assert.equal(result.stdout, 'sagemaker-ssh: /tmp/sm-wait-stopped created on algo-2\n');
    assert.equal(
      await node('algo-2')
        .container.exec('test -f /tmp/sm-wait-stopped && echo yes')
        .then((r) => r.stdout),
      'yes\n',
    );
    assert.equal(
      await node('algo-1')
        .container.exec('test -f /tmp/sm-wait-stopped || echo no')
        .then((r) => r.stdout),
      'no\n',
    );
    assert.equal(existsSync('/tmp/sm-wait-stopped'), false);
    assert.match(node('algo-2').container.log(), /sagemaker-ssh: Stop Waiting requested from VS Code/);
    assert.doesNotMatch(node('algo-1').container.log(), /Stop Waiting requested/);
  });
});
