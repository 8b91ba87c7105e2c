import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { FileWriteError } from '../../../../src/util/fs/errors';
import { SshKeyPair } from '../../../../src/ssh/keys/sshKeyPair';
import { InvalidHostKeyError } from '../../../../src/ssh/knownHosts/errors';
import { KnownHostsFile } from '../../../../src/ssh/knownHosts/knownHostsFile';
import { FaultyFileSystem } from '../helpers/faultyFileSystem';
import { runOk, sshKeygen } from '../helpers/openssh';
import { listTree, modeOf, useTempDir } from '../../../support/tempDir';

const A = 'job-a.training.sagemaker';
const B = 'job-b.training.sagemaker';

function hostKey(comment = 'root@algo-1'): { line: string; entry: string } {
  const line = SshKeyPair.generate(comment).publicKeyLine;
  return { line, entry: line.split(' ').slice(0, 2).join(' ') };
}

describe('KnownHostsFile', () => {
  const tmp = useTempDir();
  const file = (): string => path.join(tmp(), 'sagemaker-ssh', 'known_hosts');

  it('writes "alias type base64" lines (comment dropped) with mode 0600 in a 0700 directory', async () => {
    const known = new KnownHostsFile({ path: file() });
    const k1 = hostKey();
    const k2 = hostKey();
    await known.setHostKeys(A, [k1.line, k2.line]);
    assert.equal(await fs.readFile(file(), 'utf8'), `${A} ${k1.entry}\n${A} ${k2.entry}\n`);
    assert.equal(await modeOf(file()), 0o600);
    assert.equal(await modeOf(path.dirname(file())), 0o700);
    assert.deepEqual(
      (await known.hostKeys(A)).map((k) => k.line),
      [k1.entry, k2.entry],
    );
  });

  it('replaces only the updated alias and keeps every other byte', async () => {
    const known = new KnownHostsFile({ path: file() });
    const [a1, b1, a2] = [hostKey(), hostKey(), hostKey()];
    await fs.mkdir(path.dirname(file()), { recursive: true });
    const foreign = `# pinned by hand\r\n${B} ${b1.entry}\n@revoked ${A} ${a1.entry}\nother.example,${A} ${a1.entry}`;
    await fs.writeFile(file(), foreign);
    await known.setHostKeys(A, [a2.line, a2.line]);
    assert.equal(
      await fs.readFile(file(), 'utf8'),
      `# pinned by hand\r\n${B} ${b1.entry}\n@revoked ${A} ${a1.entry}\n${A} ${a2.entry}\n`,
    );
    await known.removeHost(A);
    assert.equal(
      await fs.readFile(file(), 'utf8'),
      `# pinned by hand\r\n${B} ${b1.entry}\n@revoked ${A} ${a1.entry}\n`,
    );
    assert.deepEqual(await known.hostKeys(A), []);
    assert.equal((await known.hostKeys(B))[0].line, b1.entry);
  });

  it('accepts real ssh-keygen host keys of all host key types', async () => {
    const known = new KnownHostsFile({ path: file() });
    const lines: string[] = [];
    for (const [name, type] of [
      ['ed', 'ed25519'],
      ['rsa', 'rsa'],
      ['ec', 'ecdsa'],
    ]) {
      lines.push((await fs.readFile(`${await sshKeygen(tmp(), name, type)}.pub`, 'utf8')).trim());
    }
    await known.setHostKeys(A, lines);
    assert.equal((await known.hostKeys(A)).length, 3);
    // ssh-keygen -F finds the pinned alias in our file.
    assert.match(
      await runOk('ssh-keygen', ['-F', A, '-f', file()]),
      /Host job-a\.training\.sagemaker found: line 1/,
    );
  });

  it('validates every line first and writes nothing if one is bad', async () => {
    const known = new KnownHostsFile({ path: file() });
    const good = hostKey().line;
    const bad = [
      [good, `${good}\n${B} ${good}`],
      [good, 'ssh-ed25519 AAAA'],
      [good, `command="x" ${good}`],
      [SshKeyPair.generate('').publicKeyLine.replace('ssh-ed25519', 'ssh-rsa')],
      [],
    ];
    for (const lines of bad) {
      await assert.rejects(known.setHostKeys(A, lines), InvalidHostKeyError);
    }
    for (const alias of ['*.sagemaker', 'a b', 'Upper', 'a,b', '!x', '[h]:22', '']) {
      await assert.rejects(known.setHostKeys(alias, [good]), InvalidHostKeyError, alias);
    }
    assert.deepEqual(await listTree(tmp()), []);
  });

  it('keeps the previous file intact when the write fails half-way', async () => {
    const first = hostKey();
    await new KnownHostsFile({ path: file() }).setHostKeys(A, [first.line]);
    const before = await fs.readFile(file(), 'utf8');
    const faulty = new FaultyFileSystem().fail({
      op: 'writeNewFile',
      when: () => true,
      code: 'ENOSPC',
      partialWrite: true,
    });
    await assert.rejects(
      new KnownHostsFile({ path: file(), fs: faulty }).setHostKeys(B, [hostKey().line]),
      FileWriteError,
    );
    const faultyRename = new FaultyFileSystem().fail({ op: 'rename', when: () => true, code: 'EIO' });
    await assert.rejects(
      new KnownHostsFile({ path: file(), fs: faultyRename }).setHostKeys(B, [hostKey().line]),
      FileWriteError,
    );
    assert.equal(await fs.readFile(file(), 'utf8'), before);
    assert.deepEqual(await listTree(tmp()), ['sagemaker-ssh', 'sagemaker-ssh/known_hosts']);
  });
});
