import * as assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { copyPayload, readPayloadFiles } from '../../../src/payload/copyPayload';
import { PayloadConflictError, PayloadNotFoundError, PayloadTargetError } from '../../../src/payload/errors';
import { locatePayload } from '../../../src/payload/payloadLocation';
import { useTempDir } from '../../support/tempDir';
import { PACKAGE_DIR, PAYLOAD_ROOT, REPO_ROOT, run } from './support';

describe('payload: locatePayload', () => {
  it("finds media/remote from the extension's folder, from $SAGEMAKER_SSH_PAYLOAD_DIR, or above the module", () => {
    assert.equal(locatePayload(REPO_ROOT).packageDir, PACKAGE_DIR);
    assert.equal(
      locatePayload(undefined, { SAGEMAKER_SSH_PAYLOAD_DIR: PAYLOAD_ROOT }, '/').root,
      PAYLOAD_ROOT,
    );
    assert.equal(locatePayload(undefined, {}).root, PAYLOAD_ROOT);
    assert.equal(locatePayload().lifecycleTemplate, path.join(PAYLOAD_ROOT, 'studio-lifecycle-config.sh'));
  });

  it('says where it looked when the payload is missing', () => {
    assert.throws(
      () => locatePayload('/nonexistent-extension'),
      (error: unknown) =>
        error instanceof PayloadNotFoundError && /\/nonexistent-extension\/media\/remote/.test(error.message),
    );
  });
});

describe('payload: copyPayload', () => {
  const tmp = useTempDir();
  const target = () => path.join(tmp(), 'src');

  async function expectSameAsBundle(directory: string): Promise<void> {
    for (const file of await readPayloadFiles()) {
      const copied = path.join(directory, file.name);
      assert.deepEqual(await readFile(copied), file.content, file.name);
      assert.equal((await stat(copied)).mode & 0o777, file.name.startsWith('sm-') ? 0o755 : 0o644, file.name);
    }
  }

  async function leftovers(): Promise<string[]> {
    return (await readdir(target())).filter((name) => name.startsWith('.'));
  }

  it('copies sagemaker_ssh_helper/ with every script (executable) and the Python package', async () => {
    await mkdir(target());
    const result = await copyPayload(target());
    assert.equal(result.status, 'created');
    assert.equal(result.directory, path.join(target(), 'sagemaker_ssh_helper'));
    for (const name of [
      '__init__.py',
      'sm-setup-ssh',
      'sm-init-ssm',
      'sm-save-env',
      'sm-wait',
      'sm-ssh-ide',
      'sm-helper-functions',
      'sm-aws-call',
    ]) {
      assert.ok(result.files.includes(name), name);
    }
    assert.deepEqual(result.added, result.files);
    await expectSameAsBundle(result.directory);
    assert.deepEqual(await leftovers(), []);
  });

  it('is idempotent: a second copy changes nothing', async () => {
    await mkdir(target());
    await copyPayload(target());
    const before = (await stat(path.join(target(), 'sagemaker_ssh_helper', 'sm-wait'))).mtimeMs;
    const again = await copyPayload(target());
    assert.equal(again.status, 'unchanged');
    assert.deepEqual([again.added, again.replaced], [[], []]);
    assert.equal((await stat(path.join(target(), 'sagemaker_ssh_helper', 'sm-wait'))).mtimeMs, before);
  });

  it('refuses to overwrite files that differ, and replaces them when asked (keeping files the user added)', async () => {
    await mkdir(target());
    const { directory } = await copyPayload(target());
    await writeFile(path.join(directory, 'sm-wait'), '#!/bin/bash\necho my local change\n');
    await writeFile(path.join(directory, 'notes.txt'), 'mine');
    await mkdir(path.join(directory, '__pycache__'));
    await writeFile(path.join(directory, '__pycache__', 'x.pyc'), 'cache');
    await assert.rejects(copyPayload(target()), (error: unknown) => {
      assert.ok(error instanceof PayloadConflictError);
      assert.deepEqual(error.differing, ['sm-wait']);
      assert.match(error.message, /sagemaker_ssh_helper already exists and this file differs .*: sm-wait/);
      return true;
    });
    assert.equal(
      await readFile(path.join(directory, 'sm-wait'), 'utf8'),
      '#!/bin/bash\necho my local change\n',
    );
    const replaced = await copyPayload(target(), { overwrite: true });
    assert.equal(replaced.status, 'updated');
    assert.deepEqual(replaced.replaced, ['sm-wait']);
    await expectSameAsBundle(directory);
    assert.equal(await readFile(path.join(directory, 'notes.txt'), 'utf8'), 'mine');
    assert.deepEqual((await readdir(directory)).includes('__pycache__'), false);
    assert.deepEqual(await leftovers(), []);
  });

  it('adds missing files without asking (nothing is overwritten)', async () => {
    await mkdir(path.join(target(), 'sagemaker_ssh_helper'), { recursive: true });
    const original = await readFile(path.join(PACKAGE_DIR, 'sm-wait'));
    await writeFile(path.join(target(), 'sagemaker_ssh_helper', 'sm-wait'), original);
    const result = await copyPayload(target());
    assert.equal(result.status, 'updated');
    assert.ok(!result.added.includes('sm-wait') && result.added.includes('sm-setup-ssh'));
    await expectSameAsBundle(result.directory);
  });

  it('refuses targets that are missing, files, or hold a file named sagemaker_ssh_helper', async () => {
    await assert.rejects(
      copyPayload(target()),
      (e: unknown) => e instanceof PayloadTargetError && /does not exist/.test(e.message),
    );
    await writeFile(target(), 'a file');
    await assert.rejects(
      copyPayload(target()),
      (e: unknown) => e instanceof PayloadTargetError && /not a folder/.test(e.message),
    );
    const folder = path.join(tmp(), 'other');
    await mkdir(folder);
    await writeFile(path.join(folder, 'sagemaker_ssh_helper'), 'x');
    await assert.rejects(
      copyPayload(folder),
      (e: unknown) => e instanceof PayloadTargetError && /is not a folder/.test(e.message),
    );
  });

  it('never leaves a half-written folder: a copy that fails midway leaves the target as it was', async () => {
    await mkdir(target());
    const { directory } = await copyPayload(target());
    await writeFile(path.join(directory, 'sm-wait'), 'changed');
    // A FIFO the user left in the folder cannot be carried over: the copy fails after staging began.
    const fifo = await run('mkfifo', [path.join(directory, 'a-pipe')]);
    assert.equal(fifo.code, 0, fifo.stderr);
    await assert.rejects(
      copyPayload(target(), { overwrite: true }),
      (e: unknown) => e instanceof PayloadTargetError,
    );
    assert.equal(await readFile(path.join(directory, 'sm-wait'), 'utf8'), 'changed');
    assert.ok((await readdir(directory)).includes('a-pipe'));
    assert.deepEqual(await leftovers(), []);
  });
});
