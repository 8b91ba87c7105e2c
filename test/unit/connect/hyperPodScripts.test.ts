import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import {
  HYPERPOD_INSTALL_KEY_SCRIPT,
  hyperPodInstallKeyData,
  keyMark,
  NO_LOGIN_USER_STATUS,
} from '../../../src/connect/hyperPodScripts';
import { parseHostKeys } from '../../../src/connect/remoteScripts';
import { useTempDir } from '../../support/tempDir';

const run = promisify(execFile);

const KEY_A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa laptop';
const KEY_B = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb laptop';
const FP_A = 'SHA256:aaaa+aaaa/aaaa';
const FP_B = 'SHA256:bbbb+bbbb/bbbb';

/**
 * Runs the install script with a stand-in `getent` that gives the current user a home in a temp
 * folder, so the real ~/.ssh is never touched. The data arrive as the environment runShellScript
 * sets up (already decoded).
 */
describe('HyperPod key install script', () => {
  const tempDir = useTempDir();
  let home: string;
  let bin: string;
  let user: string;

  beforeEach(async () => {
    home = path.join(tempDir(), 'home');
    bin = path.join(tempDir(), 'bin');
    await fs.mkdir(home);
    await fs.mkdir(bin);
    user = os.userInfo().username;
    await fs.writeFile(
      path.join(bin, 'getent'),
      `#!/bin/sh\n[ "$2" = "${user}" ] && echo "${user}:x:1000:1000::${home}:/bin/sh"\n`,
      { mode: 0o755 },
    );
  });

  async function install(data: Record<string, string>): Promise<{ code: number; stdout: string }> {
    try {
      const { stdout } = await run('sh', ['-c', HYPERPOD_INSTALL_KEY_SCRIPT], {
        env: { PATH: `${bin}:${process.env.PATH ?? ''}`, ...data },
      });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, stdout: failed.stdout };
    }
  }

  const keysFile = (): string => path.join(home, '.ssh', 'authorized_keys');

  it("adds our key once, marked, keeps the user's own lines, and prints the host keys", async () => {
    await fs.mkdir(path.join(home, '.ssh'));
    await fs.writeFile(keysFile(), 'ssh-rsa AAAAB3Nza their-own-key\n\n');
    const data = hyperPodInstallKeyData({ publicKey: KEY_A, fingerprint: FP_A, user });
    const first = await install(data);
    assert.equal(first.code, 0, first.stdout);
    const second = await install(data);
    assert.equal(second.code, 0, second.stdout);
    const lines = (await fs.readFile(keysFile(), 'utf8')).split('\n').filter(Boolean);
    assert.deepEqual(lines, [
      'ssh-rsa AAAAB3Nza their-own-key',
      `${KEY_A.split(' ').slice(0, 2).join(' ')} ${keyMark(FP_A)}`,
    ]);
    assert.equal((await fs.stat(keysFile())).mode & 0o777, 0o600);
    assert.equal((await fs.stat(path.join(home, '.ssh'))).mode & 0o777, 0o700);
    assert.ok(second.stdout.includes('---SMSSH-HOST-KEYS-BEGIN---'));
    assert.deepEqual(
      parseHostKeys(second.stdout).every((line) => line.startsWith('ssh-') || line.startsWith('ecdsa-')),
      true,
    );
  });

  it('replaces only the key it rotates, never another client’s', async () => {
    await install(hyperPodInstallKeyData({ publicKey: KEY_A, fingerprint: FP_A, user }));
    const other = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOther sm-ssh-sha256-teammate';
    await fs.appendFile(keysFile(), `${other}\n`);
    const rotated = await install(
      hyperPodInstallKeyData({ publicKey: KEY_B, fingerprint: FP_B, replacesFingerprint: FP_A, user }),
    );
    assert.equal(rotated.code, 0, rotated.stdout);
    const text = await fs.readFile(keysFile(), 'utf8');
    assert.ok(!text.includes(keyMark(FP_A)));
    assert.ok(text.includes(keyMark(FP_B)));
    assert.ok(text.includes(other));
  });

  it('stops with its own status when the login user does not exist', async () => {
    const result = await install(
      hyperPodInstallKeyData({ publicKey: KEY_A, fingerprint: FP_A, user: 'no-such-user-smssh' }),
    );
    assert.equal(result.code, NO_LOGIN_USER_STATUS);
  });

  it('refuses a key that is not one OpenSSH public key', async () => {
    const data = hyperPodInstallKeyData({ publicKey: KEY_A, fingerprint: FP_A, user });
    const result = await install({ ...data, SMSSH_KEY: 'ssh-ed25519 AAAA\nssh-rsa BBBB' });
    assert.equal(result.code, 4);
    await assert.rejects(fs.stat(keysFile()));
  });
});
