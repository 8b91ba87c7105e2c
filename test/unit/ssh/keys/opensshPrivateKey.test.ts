import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { InvalidKeyCommentError, InvalidPrivateKeyError } from '../../../../src/ssh/keys/errors';
import {
  parseEd25519PrivateKey,
  serializeEd25519PrivateKey,
} from '../../../../src/ssh/keys/opensshPrivateKey';
import { SshKeyPair } from '../../../../src/ssh/keys/sshKeyPair';
import { SshWireReader } from '../../../../src/ssh/keys/sshWire';
import { useTempDir } from '../../../support/tempDir';
import { runOk, sshKeygen } from '../helpers/openssh';

function body(text: string): Buffer {
  return Buffer.from(text.split('\n').slice(1, -2).join(''), 'base64');
}

/** The check integer sits right after magic(15) + "none"(8) + "none"(8) + ""(4) + count(4) + pubkey(4+51) + length(4). */
function checkIntOf(text: string): number {
  return body(text).readUInt32BE(15 + 8 + 8 + 4 + 4 + 4 + 51 + 4);
}

function rearmor(bytes: Buffer): string {
  const b64 = bytes.toString('base64');
  const lines = ['-----BEGIN OPENSSH PRIVATE KEY-----'];
  for (let i = 0; i < b64.length; i += 70) {
    lines.push(b64.slice(i, i + 70));
  }
  return [...lines, '-----END OPENSSH PRIVATE KEY-----', ''].join('\n');
}

describe('OpenSSH ed25519 private key format', () => {
  const tmp = useTempDir();

  it('serializes byte-for-byte like ssh-keygen (same key, same check integer)', async () => {
    const file = await sshKeygen(tmp(), 'id', 'ed25519');
    const original = await fs.readFile(file, 'utf8');
    const parsed = parseEd25519PrivateKey(original);
    assert.equal(parsed.comment, 'test-id');
    assert.equal(serializeEd25519PrivateKey(parsed, parsed.comment, checkIntOf(original)), original);
  });

  it('writes the armor, 70-column base64 lines and 1,2,3… padding', () => {
    const text = SshKeyPair.generate('user@host').privateKeyText();
    const lines = text.split('\n');
    assert.equal(lines[0], '-----BEGIN OPENSSH PRIVATE KEY-----');
    assert.equal(lines.at(-2), '-----END OPENSSH PRIVATE KEY-----');
    assert.equal(lines.at(-1), '');
    for (const line of lines.slice(1, -3)) {
      assert.equal(line.length, 70);
    }
    const bytes = body(text);
    assert.equal(bytes.subarray(0, 15).toString('latin1'), 'openssh-key-v1\0');
    const outer = new SshWireReader(bytes.subarray(15));
    assert.deepEqual(
      [outer.asciiString(), outer.asciiString(), outer.string().length, outer.uint32()],
      ['none', 'none', 0, 1],
    );
    outer.string();
    const section = outer.string();
    assert.equal(section.length % 8, 0);
    const inner = new SshWireReader(section);
    assert.equal(inner.uint32(), inner.uint32());
    assert.equal(inner.asciiString(), 'ssh-ed25519');
    assert.equal(inner.string().length, 32);
    assert.equal(inner.string().length, 64);
    assert.equal(inner.string().toString(), 'user@host');
    const padding = [...inner.raw(inner.remaining)];
    assert.deepEqual(
      padding,
      Array.from({ length: padding.length }, (_, i) => i + 1),
    );
    assert.ok(padding.length < 8);
  });

  it('ssh-keygen -y derives exactly our public key line from our private key', async () => {
    const pair = SshKeyPair.generate('sagemaker-ssh:myjob.training.sagemaker');
    const file = path.join(tmp(), 'key');
    await fs.writeFile(file, pair.privateKeyText(), { mode: 0o600 });
    const derived = (await runOk('ssh-keygen', ['-y', '-f', file])).trim();
    assert.equal(derived, pair.publicKeyLine);
  });

  it('ssh-keygen -l reports our fingerprint for our public key', async () => {
    const pair = SshKeyPair.generate('fp-test');
    const file = path.join(tmp(), 'key.pub');
    await fs.writeFile(file, `${pair.publicKeyLine}\n`);
    const listing = (await runOk('ssh-keygen', ['-l', '-f', file])).trim();
    assert.equal(listing, `256 ${pair.fingerprint} fp-test (ED25519)`);
  });

  it('reads keys made by ssh-keygen and re-derives their public line', async () => {
    const file = await sshKeygen(tmp(), 'other', 'ed25519');
    const pair = SshKeyPair.fromPrivateKeyText(await fs.readFile(file, 'utf8'));
    assert.equal(`${pair.publicKeyLine}\n`, await fs.readFile(`${file}.pub`, 'utf8'));
  });

  it('accepts an empty comment and omits it from the public line', () => {
    const pair = SshKeyPair.generate('');
    assert.match(pair.publicKeyLine, /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}$/);
    assert.equal(SshKeyPair.fromPrivateKeyText(pair.privateKeyText()).publicKeyLine, pair.publicKeyLine);
  });

  it('refuses comments that would break the public key line', () => {
    for (const comment of ['a\nb', 'a\rb', 'tab\there', ' padded', 'x'.repeat(256), 'nul\0']) {
      assert.throws(() => SshKeyPair.generate(comment), InvalidKeyCommentError, JSON.stringify(comment));
    }
  });

  it('rejects encrypted, non-ed25519, truncated and tampered keys with InvalidPrivateKeyError', async () => {
    const encrypted = path.join(tmp(), 'enc');
    await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-f', encrypted]);
    const ecdsa = await sshKeygen(tmp(), 'ecdsa', 'ecdsa');
    const good = SshKeyPair.generate('x').privateKeyText();
    const bytes = body(good);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 20] ^= 0xff; // inside the secret key: public half no longer matches
    const cases: Array<[string, string]> = [
      ['encrypted', await fs.readFile(encrypted, 'utf8')],
      ['ecdsa', await fs.readFile(ecdsa, 'utf8')],
      ['truncated', rearmor(bytes.subarray(0, bytes.length - 16))],
      ['tampered', rearmor(flipped)],
      ['not a key', 'hello\n'],
      ['pem', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'],
      ['bad base64', good.replace(/\n[A-Za-z0-9+/]/, '\n*')],
    ];
    for (const [name, text] of cases) {
      assert.throws(() => SshKeyPair.fromPrivateKeyText(text), InvalidPrivateKeyError, name);
    }
  });

  it('never shows private key material through JSON or util.inspect', async () => {
    const { inspect } = await import('node:util');
    const pair = SshKeyPair.generate('secret-test');
    const secretLine = pair.privateKeyText().split('\n')[1];
    for (const shown of [
      JSON.stringify(pair),
      inspect(pair, { showHidden: true, depth: 5 }),
      String(Object.values(pair)),
    ]) {
      assert.ok(!shown.includes(secretLine), shown);
      assert.ok(!shown.includes('PRIVATE KEY'), shown);
    }
    assert.ok(JSON.stringify(pair).includes(pair.fingerprint));
  });
});
