import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { FileWriteError } from '../../../../src/util/fs/errors';
import { InvalidKeyNameError } from '../../../../src/ssh/keys/errors';
import { SshKeyStore } from '../../../../src/ssh/keys/keyStore';
import { MemoryLogger } from '../../../../src/util/logger';
import { FaultyFileSystem } from '../helpers/faultyFileSystem';
import { runOk } from '../helpers/openssh';
import { listTree, modeOf, useTempDir } from '../../../support/tempDir';

const ALIAS = 'myjob.training.sagemaker';

describe('SshKeyStore', () => {
  const tmp = useTempDir();
  const keyDir = (): string => path.join(tmp(), 'global-storage', 'ssh-keys');

  it('creates <dir>/<alias> 0600 and <alias>.pub in a 0700 directory, usable by ssh-keygen', async () => {
    const store = new SshKeyStore({ directory: keyDir() });
    const key = await store.ensureKey(ALIAS);
    assert.equal(key.created, true);
    assert.equal(key.privateKeyPath, path.join(keyDir(), ALIAS));
    assert.equal(await modeOf(keyDir()), 0o700);
    assert.equal(await modeOf(key.privateKeyPath), 0o600);
    assert.equal(await fs.readFile(key.privateKeyPath, 'utf8'), key.keyPair.privateKeyText());
    assert.equal(await fs.readFile(key.publicKeyPath, 'utf8'), `${key.keyPair.publicKeyLine}\n`);
    assert.equal(key.keyPair.comment, `sagemaker-ssh:${ALIAS}`);
    assert.equal(
      (await runOk('ssh-keygen', ['-y', '-f', key.privateKeyPath])).trim(),
      key.keyPair.publicKeyLine,
    );
    assert.deepEqual(await listTree(keyDir()), [ALIAS, `${ALIAS}.pub`]);
  });

  it('reuses an existing valid key and keeps one key per alias', async () => {
    const store = new SshKeyStore({ directory: keyDir() });
    const first = await store.ensureKey(ALIAS);
    const again = await store.ensureKey(ALIAS);
    const other = await store.ensureKey('sagemaker-studio');
    assert.equal(again.created, false);
    assert.equal(again.keyPair.fingerprint, first.keyPair.fingerprint);
    assert.notEqual(other.keyPair.fingerprint, first.keyPair.fingerprint);
    assert.equal((await store.readKey(ALIAS))?.keyPair.fingerprint, first.keyPair.fingerprint);
  });

  it('tightens a too-open private key mode and rewrites a missing .pub', async () => {
    const store = new SshKeyStore({ directory: keyDir() });
    const first = await store.ensureKey(ALIAS);
    await fs.chmod(first.privateKeyPath, 0o644);
    await fs.rm(first.publicKeyPath);
    const again = await store.ensureKey(ALIAS);
    assert.equal(again.keyPair.fingerprint, first.keyPair.fingerprint);
    assert.equal(await modeOf(first.privateKeyPath), 0o600);
    assert.equal(await fs.readFile(first.publicKeyPath, 'utf8'), `${first.keyPair.publicKeyLine}\n`);
  });

  it('replaces a corrupt key file with a new valid key', async () => {
    const store = new SshKeyStore({ directory: keyDir() });
    await fs.mkdir(keyDir(), { recursive: true });
    await fs.writeFile(path.join(keyDir(), ALIAS), 'garbage', { mode: 0o600 });
    const key = await store.ensureKey(ALIAS);
    assert.equal(key.created, true);
    assert.equal(await fs.readFile(key.privateKeyPath, 'utf8'), key.keyPair.privateKeyText());
    assert.equal(await store.readKey('absent.training.sagemaker'), undefined);
  });

  it('replaces a symlink planted at the key path instead of writing through it', async () => {
    const store = new SshKeyStore({ directory: keyDir() });
    await fs.mkdir(keyDir(), { recursive: true });
    const outside = path.join(tmp(), 'outside');
    await fs.writeFile(outside, 'do not touch');
    await fs.symlink(outside, path.join(keyDir(), ALIAS));
    await store.ensureKey(ALIAS);
    assert.equal(await fs.readFile(outside, 'utf8'), 'do not touch');
    assert.equal((await fs.lstat(path.join(keyDir(), ALIAS))).isFile(), true);
  });

  it('gives concurrent callers the same key (no clobbering)', async () => {
    const stores = Array.from({ length: 6 }, () => new SshKeyStore({ directory: keyDir() }));
    const keys = await Promise.all(stores.map((store) => store.ensureKey(ALIAS)));
    const onDisk = await fs.readFile(path.join(keyDir(), ALIAS), 'utf8');
    for (const key of keys) {
      assert.equal(key.keyPair.privateKeyText(), onDisk);
    }
    assert.equal(keys.filter((key) => key.created).length, 1);
    assert.deepEqual(await listTree(keyDir()), [ALIAS, `${ALIAS}.pub`]);
  });

  for (const [label, op, partial, when] of [
    ['ENOSPC half-way through the private key', 'writeNewFile', true, (p: string) => !p.includes('.pub.')],
    ['ENOSPC half-way through the public key', 'writeNewFile', true, (p: string) => p.includes('.pub.')],
    ['a failing publish of the private key', 'link', false, () => true],
    ['a failing rename of the public key', 'rename', false, (p: string) => p.endsWith('.pub')],
    ['a failing chmod of the temp file', 'chmod', false, (p: string) => p.endsWith('.tmp')],
  ] as const) {
    it(`leaves no key files behind after ${label}`, async () => {
      const faulty = new FaultyFileSystem().fail({ op, when, code: 'ENOSPC', partialWrite: partial });
      const store = new SshKeyStore({ directory: keyDir(), fs: faulty });
      await assert.rejects(store.ensureKey(ALIAS), FileWriteError);
      assert.deepEqual(await listTree(keyDir()), []);
    });
  }

  it('refuses names that are not lowercase host aliases', async () => {
    const store = new SshKeyStore({ directory: keyDir() });
    for (const name of ['../escape', 'a/b', '.hidden', '-x', 'Upper.training.sagemaker', '', 'a..b']) {
      await assert.rejects(store.ensureKey(name), InvalidKeyNameError, name);
    }
    assert.deepEqual(await listTree(tmp()), []);
  });

  it('logs fingerprints only, never key material', async () => {
    const logger = new MemoryLogger();
    const store = new SshKeyStore({ directory: keyDir(), logger });
    const key = await store.ensureKey(ALIAS);
    await store.ensureKey(ALIAS);
    const log = logger.text();
    assert.ok(log.includes(key.keyPair.fingerprint));
    for (const secretLine of key.keyPair.privateKeyText().split('\n').slice(1, -2)) {
      assert.ok(!log.includes(secretLine));
    }
    assert.ok(!log.includes(key.keyPair.publicKeyLine.split(' ')[1]));
  });

  it('deletes both key files', async () => {
    const store = new SshKeyStore({ directory: keyDir() });
    await store.ensureKey(ALIAS);
    await store.deleteKey(ALIAS);
    await store.deleteKey(ALIAS);
    assert.deepEqual(await listTree(keyDir()), []);
  });
});
