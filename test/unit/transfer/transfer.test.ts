import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLOCK_BYTES, PARTIAL_SUFFIX, SIDECAR_SUFFIX } from '../../../src/transfer/fileCopy';
import type { LocalFiles, LocalHandle } from '../../../src/transfer/localFiles';
import { nodeLocalFiles } from '../../../src/transfer/localFiles';
import type { TransferRequest, TransferResult } from '../../../src/transfer/transfer';
import { runTransfer } from '../../../src/transfer/transfer';
import { MemoryRemote } from './memoryRemote';

const MiB = 1024 * 1024;

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** Local files whose writes fail with `code` once `allowBytes` were written (a disk filling up). */
function failingWrites(code: string, allowBytes: number): LocalFiles {
  let written = 0;
  return {
    ...nodeLocalFiles,
    open: async (file, flags): Promise<LocalHandle> => {
      const handle = await nodeLocalFiles.open(file, flags);
      return {
        read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
        truncate: (length) => handle.truncate(length),
        sync: () => handle.sync(),
        close: () => handle.close(),
        write: async (buffer, offset, length, position) => {
          if (written + length > allowBytes) throw errno(code);
          written += length;
          return handle.write(buffer, offset, length, position);
        },
      };
    },
  };
}

describe('transfer engine (in-memory container)', () => {
  let dir: string;
  let remote: MemoryRemote;
  let source: Buffer;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sm-ssh-transfer-'));
    remote = new MemoryRemote();
    source = randomBytes(9 * MiB + 123);
    remote.files.set('/tmp/data.bin', source);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const download = (request: Partial<TransferRequest> = {}): Promise<TransferResult> =>
    runTransfer({
      direction: 'download',
      host: 'job.training.sagemaker',
      remotePath: '/tmp/data.bin',
      localPath: join(dir, 'data.bin'),
      maxSessions: 4,
      openLink: remote.opener,
      stateDir: join(dir, 'state'),
      ...request,
    });

  const listing = async (): Promise<string[]> => (await readdir(dir)).sort();

  it('downloads striped over the sessions and renames only the verified copy', async () => {
    const result = await download();
    assert.deepEqual(await readFile(join(dir, 'data.bin')), source);
    assert.equal(result.sessions, 4);
    assert.equal(remote.linksOpened, 4);
    assert.deepEqual(await listing(), ['data.bin']);
  });

  it('a small file goes over one session', async () => {
    remote.files.set('/tmp/small', randomBytes(1000));
    const result = await download({ remotePath: '/tmp/small', localPath: join(dir, 'small') });
    assert.equal(result.sessions, 1);
    assert.equal(remote.linksOpened, 1);
  });

  it('a session lost mid-transfer: its stripe is retried on a new session', async () => {
    let reads = 0;
    remote.beforeRequest = (link): void => {
      if (link.id === 2 && ++reads === 5) link.close();
    };
    await download();
    assert.deepEqual(await readFile(join(dir, 'data.bin')), source);
    assert.equal(remote.linksOpened, 5);
  });

  it('sessions that keep failing: TransferFailed, the partial file stays for a resume', async () => {
    let reads = 0;
    remote.beforeRequest = (link): void => {
      if (++reads > 40) link.close();
    };
    await assert.rejects(
      download({ maxReopens: 2 }),
      (error: { code?: string }) => error.code === 'TransferFailed',
    );
    // The sidecar exists only if a stripe finished before the sessions gave out, which depends on how
    // the workers interleave; the partial file always stays, and the next run completes from it.
    const left = await listing();
    assert.ok(left.includes('data.bin' + PARTIAL_SUFFIX), left.join(', '));
    assert.deepEqual(
      left.filter((name) => name !== 'data.bin' + PARTIAL_SUFFIX && name !== 'data.bin' + SIDECAR_SUFFIX),
      [],
    );
    remote.beforeRequest = (): void => undefined;
    await download();
    assert.deepEqual(await readFile(join(dir, 'data.bin')), source);
    assert.deepEqual(await listing(), ['data.bin']);
  });

  it('no space left on the local disk: LocalNoSpace, nothing under the target name, the partial removed', async () => {
    await assert.rejects(
      download({ files: failingWrites('ENOSPC', 3 * MiB) }),
      (error: { code?: string }) => error.code === 'LocalNoSpace',
    );
    assert.deepEqual(await listing(), []);
  });

  it('a local folder that may not be written: LocalPermissionDenied', async () => {
    const files: LocalFiles = {
      ...nodeLocalFiles,
      open: () => Promise.reject(errno('EACCES')),
    };
    await assert.rejects(
      download({ files }),
      (error: { code?: string }) => error.code === 'LocalPermissionDenied',
    );
    assert.deepEqual(await listing(), []);
  });

  it('Cancel: nothing under the target name; the next run copies only what is missing', async () => {
    const controller = new AbortController();
    await assert.rejects(
      download({
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.bytesDone > progress.bytesTotal / 2) controller.abort();
        },
      }),
      (error: { code?: string }) => error.code === 'Cancelled',
    );
    assert.ok(!existsSync(join(dir, 'data.bin')));
    assert.ok(existsSync(join(dir, 'data.bin' + PARTIAL_SUFFIX)));
    let bytesRead = 0;
    remote.beforeRequest = (): void => {
      bytesRead += BLOCK_BYTES;
    };
    const again = await download();
    assert.ok(again.resumedBytes > 0);
    assert.ok(bytesRead < source.length, `read ${bytesRead} of ${source.length} again`);
    assert.deepEqual(await readFile(join(dir, 'data.bin')), source);
    assert.deepEqual(await listing(), ['data.bin']);
  });

  it('a source that changes during the copy: ChecksumMismatch, the copy discarded', async () => {
    // The first stripe is read first; its first byte changes once it was copied.
    let reads = 0;
    remote.beforeRequest = (): void => {
      if (++reads === 60) remote.files.get('/tmp/data.bin')![0] ^= 0xff;
    };
    await assert.rejects(download(), (error: { code?: string }) => error.code === 'ChecksumMismatch');
    assert.deepEqual(await listing(), []);
  });

  it('a remote path that does not exist, and a folder without -r: typed errors, nothing written', async () => {
    await assert.rejects(
      download({ remotePath: '/tmp/nope' }),
      (error: { code?: string }) => error.code === 'RemotePathNotFound',
    );
    await assert.rejects(
      download({ remotePath: '/tmp' }),
      (error: { code?: string }) => error.code === 'NotAFile',
    );
    assert.deepEqual(await listing(), []);
  });

  it('downloads into an existing folder under the source name, and folders with -r', async () => {
    remote.folders.add('/tmp/tree');
    remote.folders.add('/tmp/tree/sub');
    remote.files.set('/tmp/tree/a', randomBytes(10));
    remote.files.set('/tmp/tree/sub/b', randomBytes(5 * MiB));
    remote.files.set('/tmp/tree/sub/empty', Buffer.alloc(0));
    const result = await download({ remotePath: '/tmp/tree', localPath: dir, recursive: true });
    assert.equal(result.files, 3);
    assert.deepEqual(await readFile(join(dir, 'tree', 'sub', 'b')), remote.files.get('/tmp/tree/sub/b'));
    assert.equal((await readFile(join(dir, 'tree', 'sub', 'empty'))).length, 0);
  });

  it('uploads striped, resumes after Cancel, and renames the remote partial only when verified', async () => {
    const local = join(dir, 'up.bin');
    await writeFile(local, source);
    const upload = (request: Partial<TransferRequest> = {}): Promise<TransferResult> =>
      download({ direction: 'upload', remotePath: '/tmp/up.bin', localPath: local, ...request });
    const controller = new AbortController();
    await assert.rejects(
      upload({
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.bytesDone > progress.bytesTotal / 2) controller.abort();
        },
      }),
      (error: { code?: string }) => error.code === 'Cancelled',
    );
    assert.ok(!remote.files.has('/tmp/up.bin'));
    assert.ok(remote.files.has('/tmp/up.bin' + PARTIAL_SUFFIX));
    const again = await upload();
    assert.ok(again.resumedBytes > 0);
    assert.deepEqual(remote.files.get('/tmp/up.bin'), source);
    assert.ok(!remote.files.has('/tmp/up.bin' + PARTIAL_SUFFIX));
    assert.deepEqual(await readdir(join(dir, 'state')), [], 'the upload sidecar was removed');
  });
});
