import { strict as assert } from 'node:assert';
import { payloadBucketOf } from '../../../src/commands/payloadBucket';

describe('the bucket Copy Studio Lifecycle Configuration uploads the helper to', () => {
  it("is SageMaker's default bucket when sagemakerSsh.keysS3Prefix is empty", () => {
    assert.equal(payloadBucketOf('', 'eu-west-1', '123456789012'), 'sagemaker-eu-west-1-123456789012');
  });

  it('is the bucket of the setting, whatever its prefix', () => {
    for (const setting of ['s3://team-bucket', 's3://team-bucket/', ' s3://team-bucket/ssh/keys ']) {
      assert.equal(payloadBucketOf(setting, 'eu-west-1', '123456789012'), 'team-bucket');
    }
  });

  it('refuses a setting that is not an s3:// location with a valid bucket name', () => {
    for (const setting of ['team-bucket', 's3://', 's3://Team_Bucket/', '   ']) {
      assert.throws(
        () => payloadBucketOf(setting, 'eu-west-1', '123456789012'),
        (error: { code?: string }) => error.code === 'InvalidKeyPrefix',
        setting,
      );
    }
  });
});
