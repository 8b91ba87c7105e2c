import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { SshKeyStore } from '../../../../src/ssh/keys/keyStore';
import { run, startSshd } from '../helpers/openssh';
import type { RunningSshd } from '../helpers/openssh';
import { useSuiteTempDir } from '../../../support/tempDir';

describe('our ed25519 key against a real sshd', () => {
  const tmp = useSuiteTempDir();
  let sshd: RunningSshd;
  let store: SshKeyStore;
  const user = os.userInfo().username;

  before(async () => {
    sshd = await startSshd(tmp());
    store = new SshKeyStore({ directory: path.join(tmp(), 'keys') });
    const authorized = await store.ensureKey('authorized.training.sagemaker');
    await fs.writeFile(sshd.authorizedKeysFile, `${authorized.keyPair.publicKeyLine}\n`);
  });

  after(async () => {
    await sshd?.stop();
  });

  async function sshTrue(
    identity: string,
    knownHosts: string,
  ): Promise<{ code: number | null; stderr: string }> {
    return run('ssh', [
      '-F',
      '/dev/null',
      '-i',
      identity,
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      `UserKnownHostsFile=${knownHosts}`,
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=10',
      '-p',
      String(sshd.port),
      `${user}@127.0.0.1`,
      'true',
    ]);
  }

  async function pinned(hostKey: string): Promise<string> {
    const file = path.join(tmp(), `known_hosts_${Math.random().toString(16).slice(2)}`);
    await fs.writeFile(file, `[127.0.0.1]:${sshd.port} ${hostKey}\n`, { mode: 0o600 });
    return file;
  }

  it('authenticates with the stored private key and a pinned host key', async () => {
    const key = await store.ensureKey('authorized.training.sagemaker');
    const result = await sshTrue(key.privateKeyPath, await pinned(sshd.hostPublicKey));
    assert.equal(result.code, 0, result.stderr);
  });

  it('is refused with a key that is not authorized (the check can fail)', async () => {
    const stranger = await store.ensureKey('stranger.training.sagemaker');
    const result = await sshTrue(stranger.privateKeyPath, await pinned(sshd.hostPublicKey));
    assert.equal(result.code, 255);
    assert.match(result.stderr, /Permission denied/);
  });

  it('refuses to connect when the pinned host key does not match', async () => {
    const key = await store.ensureKey('authorized.training.sagemaker');
    const impostor = (await store.ensureKey('impostor.training.sagemaker')).keyPair.publicKeyLine;
    const result = await sshTrue(key.privateKeyPath, await pinned(impostor));
    assert.equal(result.code, 255);
    assert.match(result.stderr, /Host key verification failed/);
  });
});
