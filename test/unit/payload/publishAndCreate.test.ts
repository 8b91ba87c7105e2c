import * as assert from 'node:assert/strict';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { IdentitySpec, JsonOperationTable } from '../../emulator';
import { AwsError, JsonInput } from '../../emulator';
import { createStudioLifecycleConfig } from '../../../src/payload/createLifecycleConfig';
import { PayloadAwsError } from '../../../src/payload/errors';
import { lifecycleConfigScript, readLifecycleConfigSources } from '../../../src/payload/lifecycleConfig';
import { payloadArchive } from '../../../src/payload/payloadArchive';
import { PAYLOAD_S3_PREFIX, publishPayload } from '../../../src/payload/publishPayload';
import { clientsFor, useEmulator } from '../../support/emulator';
import { ScenarioBuilder } from '../../builders/scenarioBuilder';

const BUCKET = 'sagemaker-us-east-1-123456789012';
const ADMIN: IdentitySpec = {
  name: 'admin',
  accessKeyId: 'AKIAPAYLOADADMIN001',
  secretAccessKey: 'payload-admin-secret',
  arn: 'arn:aws:iam::123456789012:user/admin',
  userId: 'AIDAPAYLOADADMIN001',
};
const LIMITED: IdentitySpec = {
  name: 'limited',
  accessKeyId: 'AKIAPAYLOADLIMITED1',
  secretAccessKey: 'payload-limited-secret',
  arn: 'arn:aws:iam::123456789012:user/limited',
  userId: 'AIDAPAYLOADLIMITED1',
  deny: ['s3:PutObject', 'sagemaker:CreateStudioLifecycleConfig'],
};

interface StoredConfig {
  readonly content: string;
  readonly appType: string;
}

/** CreateStudioLifecycleConfig as SageMaker answers it (the emulator has no Studio writes of its own). */
function lifecycleConfigOperations(store: Map<string, StoredConfig>): JsonOperationTable {
  return {
    CreateStudioLifecycleConfig: {
      handler: (input) => {
        const reader = JsonInput.of(input);
        const name = reader.string('StudioLifecycleConfigName', {
          required: true,
          max: 63,
          pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
        })!;
        const content = reader.string('StudioLifecycleConfigContent', { required: true, max: 16384 })!;
        const appType = reader.string('StudioLifecycleConfigAppType', { required: true })!;
        reader.objectList('Tags');
        reader.finish();
        if (store.has(name))
          throw new AwsError('ResourceInUse', `Studio lifecycle config ${name} already exists.`);
        store.set(name, { content, appType });
        return {
          StudioLifecycleConfigArn: `arn:aws:sagemaker:us-east-1:123456789012:studio-lifecycle-config/${name}`,
        };
      },
    },
  };
}

describe('payload: publishing the Studio payload and creating the lifecycle configuration', () => {
  const emulator = useEmulator(
    new ScenarioBuilder().account('123456789012').identities(ADMIN, LIMITED).bucket(BUCKET).build(),
  );
  const configs = new Map<string, StoredConfig>();
  before(() => emulator().addOperations('sagemaker', lifecycleConfigOperations(configs)));

  it('uploads the archive under a content-addressed key once, and skips it the next time', async () => {
    const { s3 } = clientsFor(emulator(), 'admin');
    const archive = await payloadArchive();
    const first = await publishPayload(s3, BUCKET, archive);
    assert.equal(first.uploaded, true);
    assert.equal(first.key, `${PAYLOAD_S3_PREFIX}sagemaker_ssh_helper-${archive.sha256.slice(0, 16)}.tar.gz`);
    assert.equal(first.uri, `s3://${BUCKET}/${first.key}`);
    const stored = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: first.key }));
    assert.deepEqual(Buffer.from(await stored.Body!.transformToByteArray()), archive.bytes);
    const since = emulator().calls.lastSeq;
    const second = await publishPayload(s3, BUCKET, archive);
    assert.equal(second.uploaded, false);
    assert.equal(emulator().calls.count({ since, operation: 'PutObject' }), 0);
  });

  it('explains a missing bucket and a denied upload', async () => {
    const archive = await payloadArchive();
    await assert.rejects(
      publishPayload(clientsFor(emulator(), 'admin').s3, 'no-such-bucket-here', archive),
      (error: unknown) => {
        assert.ok(error instanceof PayloadAwsError);
        assert.equal(error.code, 'PayloadBucketMissing');
        assert.match(error.message, /The S3 bucket no-such-bucket-here does not exist/);
        return true;
      },
    );
    await assert.rejects(
      publishPayload(clientsFor(emulator(), 'limited').s3, BUCKET, { ...archive, sha256: 'f'.repeat(64) }),
      (error: unknown) => {
        assert.ok(error instanceof PayloadAwsError);
        assert.equal(error.code, 'PayloadUploadDenied');
        assert.match(
          error.message,
          /needs s3:PutObject and s3:GetObject on arn:aws:s3:::sagemaker-us-east-1-123456789012\/sagemaker-ssh-payload\/\*/,
        );
        return true;
      },
    );
  });

  it('creates the configuration (base64 content, app type) and explains a taken name and AccessDenied', async () => {
    const sources = await readLifecycleConfigSources();
    const script = lifecycleConfigScript(sources.template, {
      ownerUserId: ADMIN.userId,
      payloadS3Uri: `s3://${BUCKET}/key.tar.gz`,
      payloadSha256: 'b'.repeat(64),
      payloadRegion: 'us-east-1',
      awsCall: sources.awsCall,
    });
    const { sagemaker } = clientsFor(emulator(), 'admin');
    const arn = await createStudioLifecycleConfig(sagemaker, {
      name: 'sagemaker-ssh-jupyterlab',
      script,
      appType: 'JupyterLab',
    });
    assert.equal(
      arn,
      'arn:aws:sagemaker:us-east-1:123456789012:studio-lifecycle-config/sagemaker-ssh-jupyterlab',
    );
    const stored = configs.get('sagemaker-ssh-jupyterlab')!;
    assert.equal(stored.appType, 'JupyterLab');
    assert.equal(Buffer.from(stored.content, 'base64').toString('utf8'), script);
    await assert.rejects(
      createStudioLifecycleConfig(sagemaker, {
        name: 'sagemaker-ssh-jupyterlab',
        script,
        appType: 'CodeEditor',
      }),
      (error: unknown) => {
        assert.ok(error instanceof PayloadAwsError && error.code === 'LifecycleConfigExists');
        assert.match(error.message, /already exists, and configurations cannot be changed/);
        return true;
      },
    );
    await assert.rejects(
      createStudioLifecycleConfig(clientsFor(emulator(), 'limited').sagemaker, {
        name: 'mine',
        script,
        appType: 'CodeEditor',
      }),
      (error: unknown) => {
        assert.ok(error instanceof PayloadAwsError && error.code === 'LifecycleConfigDenied');
        assert.match(error.message, /IAM action sagemaker:CreateStudioLifecycleConfig/);
        return true;
      },
    );
    assert.equal(configs.has('mine'), false);
  });
});
