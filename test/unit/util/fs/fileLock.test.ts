import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { sshConfigPaths } from '../../../../src/ssh/config/sshConfigPaths';
import { BLOCK_BEGIN } from '../../../../src/ssh/config/includeBlock';
import { lockPathOf, withFileLock } from '../../../../src/util/fs/fileLock';
import { FileLockError } from '../../../../src/util/fs/errors';
import { listTree, useTempDir } from '../../../support/tempDir';

const run = promisify(execFile);
const writer = path.join(__dirname, '..', '..', 'ssh', 'helpers', 'concurrentWriter.js');

describe('cross-process locking of our ssh files', function () {
  this.timeout(120_000);
  const tmp = useTempDir();

  it('parallel processes writing the ssh config, known_hosts and hosts.json lose no entry', async () => {
    const home = tmp();
    const writers = ['a', 'b', 'c', 'd', 'e', 'f'];
    const perWriter = 12;
    await Promise.all(
      writers.map((prefix) => run(process.execPath, [writer, home, prefix, String(perWriter)])),
    );
    const expected = writers
      .flatMap((p) => Array.from({ length: perWriter }, (_, i) => `${p}-${i}.training.sagemaker`))
      .sort();
    const paths = sshConfigPaths({ homeDir: home });
    const managed = await fs.readFile(paths.managedConfig, 'utf8');
    assert.deepEqual([...managed.matchAll(/^Host (\S+)$/gm)].map((m) => m[1]).sort(), expected);
    const known = await fs.readFile(paths.knownHosts, 'utf8');
    assert.deepEqual(
      [
        ...new Set(
          known
            .split('\n')
            .filter(Boolean)
            .map((l) => l.split(' ')[0]),
        ),
      ].sort(),
      expected,
    );
    const registry = JSON.parse(await fs.readFile(path.join(home, 'state', 'hosts.json'), 'utf8')) as {
      hosts: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(registry.hosts).sort(), expected);
    assert.equal((await fs.readFile(paths.userConfig, 'utf8')).split(BLOCK_BEGIN).length, 2);
    assert.deepEqual(
      (await listTree(home)).filter((f) => /\.lock|\.tmp/.test(f)),
      [],
    );
  });

  it('runs updates on one file one at a time within a process, too', async () => {
    const file = path.join(tmp(), 'dir', 'counter');
    let active = 0;
    let overlapped = false;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        withFileLock(file, async () => {
          active++;
          overlapped ||= active > 1;
          await new Promise((resolve) => setImmediate(resolve));
          active--;
        }),
      ),
    );
    assert.equal(overlapped, false);
    assert.deepEqual(await listTree(tmp()), ['dir']);
  });

  it('gives up on a lock held by a live process with FileLockError naming the lock', async () => {
    const file = path.join(tmp(), 'config');
    await withFileLock(file, async () => {
      await assert.rejects(
        withFileLock(file, async () => undefined, {
          retries: { retries: 1, factor: 1, minTimeout: 5, maxTimeout: 5, randomize: false },
        }),
        (error: unknown) => {
          assert.ok(error instanceof FileLockError);
          assert.equal(error.code, 'SSH_FILE_LOCKED');
          assert.equal(error.lockPath, lockPathOf(file));
          return true;
        },
      );
    });
  });

  it('takes over a lock left by a killed process once it is stale', async () => {
    const file = path.join(tmp(), 'config');
    await fs.mkdir(lockPathOf(file));
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(lockPathOf(file), old, old);
    assert.equal(await withFileLock(file, async () => 'ran'), 'ran');
    assert.deepEqual(await listTree(tmp()), []);
  });
});
