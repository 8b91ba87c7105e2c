import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { temporarySibling } from '../../../../src/util/fs/atomicWrite';
import { removeStaleTemporaries } from '../../../../src/util/fs/staleTemporaries';
import { listTree, useTempDir } from '../../../support/tempDir';

/** Issue 13, defect 8: atomic-write leftovers of killed runs are removed by the next run. */
describe('removeStaleTemporaries', () => {
  const tmp = useTempDir();
  const now = Date.parse('2026-12-06T12:00:00Z');
  const hourAgo = new Date(now - 3_600_000);
  const deadPid = 4_000_001;
  const livePid = 4_000_002;
  const isAlive = (pid: number): boolean => pid === livePid;

  async function file(name: string, mtime = hourAgo): Promise<string> {
    const full = path.join(tmp(), name);
    await fs.writeFile(full, 'x');
    await fs.utimes(full, mtime, mtime);
    return full;
  }

  it('names temporary files with the writer pid', () => {
    assert.match(
      path.basename(temporarySibling('/x/config')),
      new RegExp(`^\\.config\\.${process.pid}-[0-9a-f]{12}\\.tmp$`),
    );
  });

  it('removes old files of ours whose writer is gone, and nothing else', async () => {
    const orphan = await file(`.config.${deadPid}-0123456789ab.tmp`);
    const legacy = await file('.known_hosts.0123456789ab.tmp');
    await file(`.config.${livePid}-0123456789ab.tmp`);
    await file(`.config.${process.pid}-0123456789ab.tmp`);
    await file(`.config.${deadPid}-abcdefabcdef.tmp`, new Date(now - 60_000));
    await file('.config.tmp');
    await file('notes.0123456789ab.tmp');
    const removed = await removeStaleTemporaries([tmp(), path.join(tmp(), 'missing')], { now, isAlive });
    assert.deepEqual(removed.sort(), [orphan, legacy].sort());
    assert.deepEqual(
      await listTree(tmp()),
      [
        `.config.${deadPid}-abcdefabcdef.tmp`,
        `.config.${livePid}-0123456789ab.tmp`,
        `.config.${process.pid}-0123456789ab.tmp`,
        '.config.tmp',
        'notes.0123456789ab.tmp',
      ].sort(),
    );
  });

  it('leaves a directory with our name pattern alone', async () => {
    await fs.mkdir(path.join(tmp(), `.config.${deadPid}-0123456789ab.tmp`));
    assert.deepEqual(await removeStaleTemporaries([tmp()], { now: Date.now() + 3_600_000, isAlive }), []);
  });
});
