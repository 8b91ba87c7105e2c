import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeLocalFiles } from '../../../src/transfer/localFiles';
import { SidecarWriter, loadDoneStripes, parseSidecar } from '../../../src/transfer/resumeSidecar';

describe('transfer resume sidecar', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sm-ssh-sidecar-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('records finished stripes and gives them back for the same source and stripe size', async () => {
    const path = join(dir, 'f.sm-ssh-partial.json');
    const writer = new SidecarWriter(nodeLocalFiles, path, 'src|1000|5', 4096, [7]);
    await Promise.all([writer.markDone(3), writer.markDone(1)]);
    assert.deepEqual(
      [...(await loadDoneStripes(nodeLocalFiles, path, 'src|1000|5', 4096))].sort(),
      [1, 3, 7],
    );
    assert.deepEqual(await readdir(dir), ['f.sm-ssh-partial.json'], 'no temporary file left');
  });

  it('starts over when the source changed, the stripe size differs, or the file is damaged', async () => {
    const path = join(dir, 's.json');
    await new SidecarWriter(nodeLocalFiles, path, 'src|1000|5', 4096).markDone(0);
    assert.equal((await loadDoneStripes(nodeLocalFiles, path, 'src|1000|6', 4096)).size, 0);
    assert.equal((await loadDoneStripes(nodeLocalFiles, path, 'src|1000|5', 8192)).size, 0);
    assert.equal((await loadDoneStripes(nodeLocalFiles, join(dir, 'missing'), 'src|1000|5', 4096)).size, 0);
    await writeFile(path, '{"version":1,"source":"src|1000|5","stripeSize":4096,"done":[-1]}');
    assert.equal((await loadDoneStripes(nodeLocalFiles, path, 'src|1000|5', 4096)).size, 0);
    assert.equal(parseSidecar('not json'), undefined);
  });

  it('removes itself', async () => {
    const path = join(dir, 'r.json');
    const writer = new SidecarWriter(nodeLocalFiles, path, 'x', 1);
    await writer.markDone(0);
    await writer.remove();
    assert.deepEqual(await readdir(dir), []);
  });
});
