import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AGENT_BINARIES, PeersUnavailableError, defaultPeersDir, unpackPeers } from '../peers';

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<PeersUnavailableError> {
  const error = await promise.then(
    () => assert.fail('expected a PeersUnavailableError'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof PeersUnavailableError, String(error));
  assert.equal(error.code, code);
  return error;
}

describe('emulator: AWS peers unpacked from shared/peers', () => {
  let cacheRoot: string;
  let scratch: string;

  beforeEach(() => {
    cacheRoot = mkdtempSync(path.join(tmpdir(), 'peers-cache-'));
    scratch = mkdtempSync(path.join(tmpdir(), 'peers-src-'));
  });
  afterEach(() => {
    rmSync(cacheRoot, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it('unpacks the agent and its workers once, verified against SHA256SUMS and executable', async function () {
    this.timeout(60_000);
    const sums = readFileSync(path.join(defaultPeersDir(), 'SHA256SUMS'), 'utf8');
    const peers = await unpackPeers(AGENT_BINARIES, { cacheRoot });
    for (const name of AGENT_BINARIES) {
      const file = peers.path(name);
      assert.match(sums, new RegExp(`^${sha256(file)}\\s+${name}$`, 'm'));
      assert.equal(statSync(file).mode & 0o777, 0o755);
    }
    assert.equal(statSync(peers.dir).mode & 0o022, 0, 'the cache must not be group/world-writable');
    const before = statSync(peers.path('amazon-ssm-agent')).mtimeMs;
    const again = await unpackPeers(['amazon-ssm-agent'], { cacheRoot });
    assert.equal(again.dir, peers.dir);
    assert.equal(statSync(again.path('amazon-ssm-agent')).mtimeMs, before, 'reused, not unpacked again');
  });

  it('says where it looked and what to set when the peers folder is missing', async () => {
    const error = await rejectsWithCode(
      unpackPeers(['amazon-ssm-agent'], { sourceDir: path.join(scratch, 'nowhere'), cacheRoot }),
      'PEERS_MISSING',
    );
    assert.ok(error.message.includes('SM_SSH_PEERS_DIR'));
    assert.ok(error.message.includes(path.join(scratch, 'nowhere')));
  });

  it('refuses a binary whose content does not match SHA256SUMS and leaves nothing in the cache', async () => {
    writeFileSync(path.join(scratch, 'amazon-ssm-agent'), 'not the agent\n');
    execFileSync('xz', ['-z', path.join(scratch, 'amazon-ssm-agent')]);
    writeFileSync(path.join(scratch, 'SHA256SUMS'), `${'0'.repeat(64)}  amazon-ssm-agent\n`);
    await rejectsWithCode(
      unpackPeers(['amazon-ssm-agent'], { sourceDir: scratch, cacheRoot }),
      'PEERS_CHECKSUM',
    );
    const cacheDirs = execFileSync('find', [cacheRoot, '-type', 'f'], { encoding: 'utf8' }).trim();
    assert.equal(cacheDirs, '');
  });

  it('names a binary that SHA256SUMS does not list', async () => {
    writeFileSync(path.join(scratch, 'SHA256SUMS'), `${'1'.repeat(64)}  session-manager-plugin\n`);
    const error = await rejectsWithCode(
      unpackPeers(['ssm-agent-worker'], { sourceDir: scratch, cacheRoot }),
      'PEERS_MISSING',
    );
    assert.ok(error.message.includes('ssm-agent-worker'));
  });
});
