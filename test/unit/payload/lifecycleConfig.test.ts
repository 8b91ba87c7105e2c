import * as assert from 'node:assert/strict';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { InvalidLifecycleConfigNameError, LifecycleConfigTooLargeError } from '../../../src/payload/errors';
import {
  MAX_LIFECYCLE_CONFIG_CONTENT,
  checkLifecycleConfigName,
  defaultLifecycleConfigName,
  lifecycleConfigContent,
  lifecycleConfigNameProblem,
  lifecycleConfigScript,
  readLifecycleConfigSources,
  readLifecycleTemplate,
} from '../../../src/payload/lifecycleConfig';
import { payloadArchive } from '../../../src/payload/payloadArchive';
import { readPayloadFiles } from '../../../src/payload/copyPayload';
import { useTempDir } from '../../support/tempDir';
import { run } from './support';

const SHA = 'a'.repeat(64);

async function params(
  extra: { ownerUserId?: string; payloadS3Uri?: string; payloadSha256?: string; payloadRegion?: string } = {},
) {
  const { awsCall } = await readLifecycleConfigSources();
  return {
    payloadS3Uri: 's3://bucket/key.tar.gz',
    payloadSha256: SHA,
    payloadRegion: 'us-east-1',
    awsCall,
    ...extra,
  };
}

describe('payload: the Studio lifecycle configuration', () => {
  const tmp = useTempDir();

  it('fills in the owner and the payload location, shell-quoted, and stays shellcheck clean', async () => {
    const script = lifecycleConfigScript(
      await readLifecycleTemplate(),
      await params({
        ownerUserId: "AROAEXAMPLE:o'brien@example.com",
        payloadS3Uri:
          's3://sagemaker-us-east-1-123456789012/sagemaker-ssh-payload/sagemaker_ssh_helper-0123.tar.gz',
        payloadRegion: 'eu-west-2',
      }),
    );
    const file = path.join(tmp(), 'lcc.sh');
    await writeFile(file, script);
    const values = await run('bash', [
      '-c',
      `eval "$(grep -E '^(LOCAL_USER_ID|PAYLOAD_S3_URI|PAYLOAD_SHA256|PAYLOAD_REGION|AWS_CALL)=' ${file})"; printf '%s\\n' "$LOCAL_USER_ID" "$PAYLOAD_S3_URI" "$PAYLOAD_SHA256" "$PAYLOAD_REGION"; printf '%s' "$AWS_CALL" | base64 -d | gzip -dc >${file}.call`,
    ]);
    assert.deepEqual(values.stdout.trim().split('\n'), [
      "AROAEXAMPLE:o'brien@example.com",
      's3://sagemaker-us-east-1-123456789012/sagemaker-ssh-payload/sagemaker_ssh_helper-0123.tar.gz',
      SHA,
      'eu-west-2',
    ]);
    assert.deepEqual(
      await readFile(`${file}.call`),
      (await readLifecycleConfigSources()).awsCall,
      'the embedded sm-aws-call decodes',
    );
    const lint = await run('shellcheck', [file]);
    assert.equal(lint.code, 0, lint.stdout);
    assert.equal(script.split('\n').length, (await readLifecycleTemplate()).split('\n').length);
  });

  it('fits in CreateStudioLifecycleConfig (16,384 base64 characters) and refuses what would not', async () => {
    const script = lifecycleConfigScript(
      await readLifecycleTemplate(),
      await params({
        ownerUserId: `AROA${'X'.repeat(20)}:${'y'.repeat(64)}`,
        payloadS3Uri: `s3://${'b'.repeat(63)}/${'k'.repeat(200)}`,
      }),
    );
    const content = lifecycleConfigContent(script);
    assert.ok(content.length <= MAX_LIFECYCLE_CONFIG_CONTENT);
    assert.equal(Buffer.from(content, 'base64').toString('utf8'), script);
    assert.throws(() => lifecycleConfigContent('#'.repeat(12_289)), LifecycleConfigTooLargeError);
  });

  it('refuses values that would break the script', async () => {
    const good = await params();
    const template = await readLifecycleTemplate();
    assert.throws(() => lifecycleConfigScript(template, { ...good, ownerUserId: 'a\nb' }));
    assert.throws(() => lifecycleConfigScript(template, { ...good, payloadS3Uri: 'https://b/k' }));
    assert.throws(() => lifecycleConfigScript(template, { ...good, payloadS3Uri: 's3://b/k"x' }));
    assert.throws(() => lifecycleConfigScript(template, { ...good, payloadSha256: 'abc' }));
    assert.throws(() => lifecycleConfigScript(template, { ...good, payloadRegion: 'us east' }));
    assert.throws(() => lifecycleConfigScript('#!/bin/bash\n', good), /no "LOCAL_USER_ID=''" line/);
  });

  it('validates names the way SageMaker does', () => {
    assert.equal(lifecycleConfigNameProblem(defaultLifecycleConfigName('JupyterLab')), undefined);
    assert.equal(defaultLifecycleConfigName('CodeEditor'), 'sagemaker-ssh-codeeditor');
    assert.equal(lifecycleConfigNameProblem('a'.repeat(63)), undefined);
    assert.equal(lifecycleConfigNameProblem(''), 'it is empty');
    assert.equal(lifecycleConfigNameProblem('a'.repeat(64)), 'it is 64 characters long');
    assert.equal(lifecycleConfigNameProblem('ssh_config'), '"_" is not allowed');
    assert.equal(lifecycleConfigNameProblem('-ssh'), 'it starts or ends with a hyphen');
    assert.throws(() => checkLifecycleConfigName('my config'), InvalidLifecycleConfigNameError);
  });
});

describe('payload: the payload archive (for Studio)', () => {
  const tmp = useTempDir();

  it('is a deterministic tar.gz of sagemaker_ssh_helper/ that tar extracts with the same files and modes', async () => {
    const first = await payloadArchive();
    const second = await payloadArchive();
    assert.deepEqual(first.bytes, second.bytes);
    assert.match(first.sha256, /^[0-9a-f]{64}$/);
    const archive = path.join(tmp(), 'payload.tar.gz');
    await writeFile(archive, first.bytes);
    const sha = await run('sha256sum', [archive]);
    assert.equal(sha.stdout.split(' ')[0], first.sha256);
    const out = path.join(tmp(), 'out');
    await mkdir(out);
    const extracted = await run('tar', ['-xzf', archive, '-C', out]);
    assert.equal(extracted.code, 0, extracted.stderr);
    assert.equal(extracted.stderr, '', 'tar has no warnings');
    const files = await readPayloadFiles();
    assert.deepEqual(
      (await readdir(path.join(out, 'sagemaker_ssh_helper'))).sort(),
      files.map((f) => f.name),
    );
    for (const file of files) {
      const copy = path.join(out, 'sagemaker_ssh_helper', file.name);
      assert.deepEqual(await readFile(copy), file.content);
      assert.equal((await stat(copy)).mode & 0o777, file.mode, file.name);
    }
  });
});
