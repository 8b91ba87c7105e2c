import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import { InvalidPublicKeyError } from '../../../../src/ssh/keys/errors';
import { isValidPublicKey, parsePublicKey } from '../../../../src/ssh/keys/publicKey';
import { SshWireWriter } from '../../../../src/ssh/keys/sshWire';
import { runOk, sshKeygen } from '../helpers/openssh';
import { useSuiteTempDir } from '../../../support/tempDir';

function line(type: string, blob: Buffer, comment?: string): string {
  return [type, blob.toString('base64'), ...(comment === undefined ? [] : [comment])].join(' ');
}

function blobOf(publicLine: string): Buffer {
  return Buffer.from(publicLine.split(' ')[1], 'base64');
}

function rejects(text: string, reason: RegExp): void {
  assert.throws(
    () => parsePublicKey(text),
    (error: unknown) => error instanceof InvalidPublicKeyError && reason.test(error.reason),
    `${JSON.stringify(text.slice(0, 80))} should be rejected for ${reason}`,
  );
}

describe('public key validator', () => {
  const tmp = useSuiteTempDir();
  const keys: Record<string, string> = {};

  before(async () => {
    for (const [name, type, bits] of [
      ['ed25519', 'ed25519', undefined],
      ['rsa', 'rsa', 3072],
      ['rsa1024', 'rsa', 1024],
      ['p256', 'ecdsa', 256],
      ['p384', 'ecdsa', 384],
      ['p521', 'ecdsa', 521],
    ] as const) {
      const file = await sshKeygen(tmp(), name, type, bits);
      keys[name] = (await fs.readFile(`${file}.pub`, 'utf8')).trimEnd();
    }
  });

  it('accepts real ssh-keygen keys of every supported type with ssh-keygen -l fingerprints', async () => {
    for (const name of ['ed25519', 'rsa', 'p256', 'p384', 'p521']) {
      const key = parsePublicKey(keys[name]);
      assert.equal(key.line, keys[name]);
      assert.equal(key.comment, `test-${name}`);
      const listing = await runOk('ssh-keygen', ['-l', '-f', `${tmp()}/${name}.pub`]);
      assert.equal(listing.split(' ')[1], key.fingerprint, name);
    }
    assert.equal(parsePublicKey(keys.p384).type, 'ecdsa-sha2-nistp384');
  });

  it('accepts a key without a comment', () => {
    const [type, data] = keys.ed25519.split(' ');
    const key = parsePublicKey(`${type} ${data}`);
    assert.equal(key.comment, undefined);
    assert.equal(key.line, `${type} ${data}`);
  });

  it('refuses a comment when asked to (host key lines)', () => {
    assert.throws(() => parsePublicKey(keys.ed25519, { rejectComment: true }), InvalidPublicKeyError);
  });

  it('rejects line breaks, control characters and odd spacing', () => {
    const key = keys.ed25519;
    rejects(`${key}\n`, /line break or control/);
    rejects(`${key}\r`, /line break or control/);
    rejects(`${key}\nssh-ed25519 AAAA`, /line break or control/);
    rejects(key.replace(' ', '\t'), /line break or control/);
    rejects(`${key} evil\u2028line`, /line break or control/);
    rejects(`${key}\u0000`, /line break or control/);
    rejects(` ${key}`, /single spaces|not supported/);
    rejects(key.replace(' ', '  '), /single spaces/);
    rejects(`${key.split(' ').slice(0, 2).join(' ')} `, /ends with a space/);
    rejects(`${key} `, /comment/);
  });

  it('rejects authorized_keys options in front of the key', () => {
    rejects(`command="/bin/sh" ${keys.ed25519}`, /options/);
    rejects(`no-pty,no-agent-forwarding ${keys.ed25519}`, /options/);
    rejects(`restrict ${keys.ed25519}`, /options/);
    rejects(`from="10.0.0.1" ${keys.ed25519}`, /options/);
  });

  it('rejects a type label that differs from the embedded key type', () => {
    rejects(`ssh-rsa ${keys.ed25519.split(' ')[1]}`, /says "ssh-rsa" but the key data is "ssh-ed25519"/);
    rejects(`ecdsa-sha2-nistp384 ${keys.p256.split(' ')[1]}`, /but the key data is "ecdsa-sha2-nistp256"/);
  });

  it('rejects unsupported types (DSA, certificates, made-up names)', () => {
    rejects(`ssh-dss ${keys.ed25519.split(' ')[1]}`, /not supported/);
    rejects(`ssh-ed25519-cert-v01@openssh.com ${keys.ed25519.split(' ')[1]}`, /not supported/);
    rejects('ssh-foo AAAA', /not supported/);
  });

  it('rejects broken base64 and broken key data', () => {
    const [type, data] = keys.ed25519.split(' ');
    rejects(`${type} ${data.slice(0, -4)}`, /truncated|not 32 bytes/);
    rejects(`${type} ${data}AAAA`, /trailing bytes/);
    rejects(`${type} ${data.replace(/^AAAA/, 'AA*A')}`, /not base64/);
    rejects(`${type} ${data.slice(0, -1)}`, /not base64/);
    rejects(`${type} ${data.slice(0, -2)}9=`, /canonical/);
    rejects(`${type} AAAAC3NzaC1lZDI1NTE5`, /truncated/);
  });

  it('rejects RSA keys below 2048 bits and malformed RSA integers', () => {
    rejects(keys.rsa1024, /1024 bits/);
    const even = new SshWireWriter()
      .string('ssh-rsa')
      .string(Buffer.from([0x02]))
      .string(Buffer.concat([Buffer.from([0x00, 0xc1]), Buffer.alloc(383, 0x11)]))
      .toBuffer();
    rejects(line('ssh-rsa', even), /exponent is even/);
    const negative = new SshWireWriter()
      .string('ssh-rsa')
      .string(Buffer.from([0x01, 0x00, 0x01]))
      .string(Buffer.alloc(384, 0xc1))
      .toBuffer();
    rejects(line('ssh-rsa', negative), /not a positive integer/);
    const padded = new SshWireWriter()
      .string('ssh-rsa')
      .string(Buffer.from([0x00, 0x01, 0x00, 0x01]))
      .string(Buffer.concat([Buffer.from([0x00, 0xc1]), Buffer.alloc(383, 0x11)]))
      .toBuffer();
    rejects(line('ssh-rsa', padded), /minimally encoded/);
  });

  it('rejects an ECDSA point that is not on the curve', () => {
    const blob = blobOf(keys.p256);
    blob[blob.length - 1] ^= 0x01;
    rejects(line('ecdsa-sha2-nistp256', blob), /not a valid public key/);
    const compressed = new SshWireWriter()
      .string('ecdsa-sha2-nistp256')
      .string('nistp256')
      .string(Buffer.alloc(33, 2))
      .toBuffer();
    rejects(line('ecdsa-sha2-nistp256', compressed), /uncompressed point/);
  });

  it('accepts well-formed security-key types and rejects a bad application', () => {
    const pk = blobOf(keys.ed25519).subarray(-32);
    const good = new SshWireWriter()
      .string('sk-ssh-ed25519@openssh.com')
      .string(pk)
      .string('ssh:')
      .toBuffer();
    assert.ok(isValidPublicKey(line('sk-ssh-ed25519@openssh.com', good, 'yubikey')));
    const bad = new SshWireWriter()
      .string('sk-ssh-ed25519@openssh.com')
      .string(pk)
      .string('https://x')
      .toBuffer();
    rejects(line('sk-ssh-ed25519@openssh.com', bad), /application/);
  });

  it('rejects over-long lines and comments', () => {
    rejects(`${keys.ed25519} ${'c'.repeat(300)}`, /comment/);
    rejects(`${keys.ed25519} ${'c'.repeat(17000)}`, /longer than/);
  });
});
