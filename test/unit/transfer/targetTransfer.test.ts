import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_MAX_SESSIONS, MAX_SESSIONS_LIMIT } from '../../../src/transfer/stripes';
import { TargetHost } from '../../../src/transfer/targetTransfer';
import { useTempDir } from '../../support/tempDir';
import { MemoryRemote } from './memoryRemote';

const MiB = 1024 * 1024;
const alias = 'files-job.training.sagemaker';

describe('TargetHost (shared by sm-ssh cp and Download… / Upload…)', () => {
  const dir = useTempDir('sm-ssh-target-host-');

  it('looks a path up, then copies it over the same session first', async () => {
    const remote = new MemoryRemote();
    remote.files.set('/tmp/model.bin', Buffer.alloc(MiB, 3));
    const host = TargetHost.overLinks(alias, remote.opener, path.join(dir(), 'state'));
    const entry = await host.lookUp('/tmp/model.bin', new AbortController().signal);
    assert.deepEqual([entry.kind, entry.size], ['file', MiB]);
    const increments: number[] = [];
    let clock = 0;
    const outcome = await host.copy({
      direction: 'download',
      remotePath: '/tmp/model.bin',
      localPath: path.join(dir(), 'model.bin'),
      recursive: false,
      maxSessions: 4,
      onProgress: (view) => increments.push(view.increment),
      now: () => (clock += 500),
    });
    assert.equal(remote.linksOpened, 1, 'a file under 4 MiB goes over the session the lookup opened');
    assert.equal(
      increments.reduce((a, b) => a + b, 0),
      100,
    );
    assert.deepEqual([outcome.result.files, outcome.result.bytes], [1, MiB]);
    assert.match(outcome.summary, /^copied 1\.0 MiB \(1 file\) in \d+:\d\d, [\d.]+ MB\/s over 1 session$/);
    assert.equal(fs.readFileSync(path.join(dir(), 'model.bin')).length, MiB);
  });

  it('a path that is not there: RemotePathNotFound from the lookup, and close() ends its session', async () => {
    const remote = new MemoryRemote();
    const host = TargetHost.overLinks(alias, remote.opener, dir());
    await assert.rejects(host.lookUp('/tmp/none', new AbortController().signal), {
      code: 'RemotePathNotFound',
    });
    host.close();
    await new Promise((resolve) => setImmediate(resolve));
    const again = await host.lookUp('/tmp', new AbortController().signal);
    assert.equal(again.kind, 'directory');
    assert.equal(remote.linksOpened, 2, 'the closed session was not reused');
  });

  it('the maxSessions setting in package.json matches the engine’s default and limit', () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8'),
    ) as {
      contributes: { configuration: { properties: Record<string, { default: number; maximum: number }> } };
    };
    const setting = manifest.contributes.configuration.properties['sagemakerSsh.transfer.maxSessions']!;
    assert.deepEqual([setting.default, setting.maximum], [DEFAULT_MAX_SESSIONS, MAX_SESSIONS_LIMIT]);
  });
});
