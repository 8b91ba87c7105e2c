import * as assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { HostRecord } from '../../../src/connect/hostRegistry';
import {
  clearKeyRejection,
  isRejectionOf,
  readKeyRejection,
  recordKeyRejection,
} from '../../../src/connect/keyRejections';
import { keyFileName } from '../../../src/connect/remoteScripts';

const record: HostRecord = {
  alias: 'job.training.sagemaker',
  target: { kind: 'trainingNode', jobName: 'job' },
  instanceId: 'mi-0123456789abcdef0',
  keySha256: 'a'.repeat(64),
  keyFingerprint: 'SHA256:abc',
  updatedAt: '2026-12-06T01:00:00.000Z',
};

describe('key rejections: what a ProxyCommand tells the next connection', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'smssh-rejections-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('applies to the record it was made for, not to a newer install or another instance', async () => {
    assert.equal(await readKeyRejection(dir, record.alias), undefined);
    await recordKeyRejection(dir, record);
    const rejection = await readKeyRejection(dir, record.alias);
    assert.equal(isRejectionOf(rejection, record), true);
    assert.equal(isRejectionOf(rejection, { ...record, updatedAt: '2026-12-06T01:00:05.000Z' }), false);
    assert.equal(isRejectionOf(rejection, { ...record, instanceId: 'mi-0fedcba9876543210' }), false);
    assert.equal(isRejectionOf(rejection, { ...record, keySha256: 'b'.repeat(64) }), false);
    const file = path.join(dir, 'rejected-keys', `${record.alias}.json`);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    await clearKeyRejection(dir, record.alias);
    assert.equal(await readKeyRejection(dir, record.alias), undefined);
    await clearKeyRejection(dir, record.alias);
  });
});

describe('keyFileName: a key fingerprint as a file name in authorized_keys.d', () => {
  it('keeps the fingerprint readable and uses only [A-Za-z0-9_-]', () => {
    const name = keyFileName('SHA256:+Ab/9xYz0123456789+/abcdefghijklmnopqrstuv');
    assert.equal(name, 'sha256--Ab_9xYz0123456789-_abcdefghijklmnopqrstuv');
    assert.match(name, /^[A-Za-z0-9_-]+$/);
  });
});
