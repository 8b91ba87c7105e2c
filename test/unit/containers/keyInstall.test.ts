import * as assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { installKeyScript, parseHostKeys, stopWaitingScript } from '../../../src/connect/remoteScripts';
import { runShellCommand } from '../../../src/connect/runShellCommand';
import { throwawaySshArgs } from '../../builders/throwawaySsh';
import type { CallRecord } from '../../emulator/callLog';
import { runHostProcess } from '../../emulator/containers/processes';
import { clientsFor, useEmulator } from '../emulator/helpers';
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

  let stopWatching: (() => void) | undefined;
  afterEach(() => stopWatching?.());

  /**
   * Stores the object when the container's first fetch has missed it, so the command is certainly
   * running before the upload however slow the machine is (no wall-clock delay). Returns a disposer.
   */
  function uploadAfterFirstMiss(since: number, upload: () => Promise<unknown>): () => void {
    const calls = emulator().calls;
    const onCall = (call: CallRecord): void => {
      if (call.seq > since && call.operation === 'GetObject' && call.status !== 200) {
        calls.off('call', onCall);
        void upload();
      }
    };
    calls.on('call', onCall);
    return () => calls.off('call', onCall);
  }

  /**
   * What the extension's connect flow does: presign, upload, run installKeyScript with SendCommand.
   * With `uploadLate` the command goes out first and the object is stored after the first fetch missed it.
   */
  async function installKey(host: string, keyName: string, key: string, uploadLate = false) {
    const { s3, ssm } = clientsFor(emulator());
    const objectKey = `ssh-authorized-keys/${keyName}-${randomUUID()}.pub`;
    const body = `${key}\n`;
    const upload = (): Promise<unknown> =>
      s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: objectKey, Body: body, ContentType: 'text/plain' }),
      );
    if (uploadLate) stopWatching = uploadAfterFirstMiss(emulator().calls.lastSeq, upload);
    else await upload();
    const presignedUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: objectKey }), {
      expiresIn: 300,
    });
    return runShellCommand(ssm, {
      instanceId: node(host).instanceId!,
      purpose: 'Installing the SSH key',
      lines: installKeyScript({
        keyName,
        s3Uri: `s3://${BUCKET}/${objectKey}`,
        presignedUrl,
        keySha256: createHash('sha256').update(body).digest('hex'),
      }),
    });
  }

  it('fetches the key through the presigned URL with python3 and installs it once, however often it runs', async () => {
    const before = emulator().calls.lastSeq;
    const first = await installKey('algo-1', 'llama-algo-1', publicKey);
    assert.match(first.stdout, /installed key llama-algo-1 \(fetched with python3\)/);
    const fetched = emulator().calls.filter({ since: before, operation: 'GetObject' });
    assert.equal(fetched.length, 1);
    assert.equal(fetched[0]!.status, 200);
    assert.equal(fetched[0]!.identity, DEVELOPER.arn);

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

  it('waits for a key object that is stored only after the command started', async () => {
    const before = emulator().calls.lastSeq;
    const result = await installKey('algo-2', 'late-upload', publicKey, true);
    // The fetcher that follows the missed one in the same attempt may already find the object.
    assert.match(result.stdout, /installed key late-upload \(fetched with (python3|curl|wget)\)/);
    const fetches = emulator().calls.filter({ since: before, operation: 'GetObject' });
    assert.ok(fetches.length >= 2, `fetched ${fetches.length} time(s)`);
    assert.equal(fetches.at(-1)!.status, 200);
    assert.notEqual(fetches[0]!.status, 200, 'the first fetch came before the upload');
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
      '-F',
      '/dev/null',
      '-i',
      keyPath,
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      `UserKnownHostsFile=${knownHosts}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
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
