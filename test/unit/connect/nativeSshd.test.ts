import * as assert from 'node:assert/strict';
import { nativeSshdScript, parseNativeSshdReport } from '../../../src/connect/nativeSshd';
import { hostKeysBegin, hostKeysEnd } from '../../../src/connect/remoteScripts';

describe('native sshd script and report', () => {
  const report = (lines: string[]): string => lines.join('\n');

  it('reads port, user, home, whether it started, and the host keys', () => {
    const parsed = parseNativeSshdReport(
      'node',
      report([
        'SMSSH-PORT=41234',
        'SMSSH-USER=root',
        'SMSSH-HOME=/root',
        'SMSSH-STARTED=no',
        hostKeysBegin,
        'ssh-ed25519 AAAAC3 root@algo-1',
        'ecdsa-sha2-nistp256 AAAAE2 root@algo-1',
        hostKeysEnd,
      ]),
    );
    assert.deepEqual(parsed, {
      port: 41234,
      user: 'root',
      home: '/root',
      started: false,
      hostKeys: ['ssh-ed25519 AAAAC3 root@algo-1', 'ecdsa-sha2-nistp256 AAAAE2 root@algo-1'],
    });
  });

  it('a report without a port or host keys is NativeSshdReport', () => {
    for (const output of [
      'SMSSH-USER=root',
      report(['SMSSH-PORT=22', 'SMSSH-USER=root', 'SMSSH-HOME=/root']),
    ]) {
      assert.throws(
        () => parseNativeSshdReport('node', output),
        (error: { code?: string }) => error.code === 'NativeSshdReport',
      );
    }
  });

  it('the script is ours alone: no value of the caller in it (the key comes as data)', () => {
    const script = nativeSshdScript();
    assert.match(script, /"\$SMSSH_KEY"/);
    assert.match(script, /ListenAddress 127\.0\.0\.1/);
    assert.match(script, /PasswordAuthentication no/);
  });
});
