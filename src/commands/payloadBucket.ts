import { InvalidKeyPrefixError } from './commandErrors';

const bucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * The S3 bucket Copy Studio Lifecycle Configuration uploads the SSH helper to: the bucket of the
 * `sagemakerSsh.keysS3Prefix` setting (`s3://bucket/prefix/`; the prefix is not used), or, when it is
 * empty, SageMaker's default bucket `sagemaker-<region>-<account>`.
 */
export function payloadBucketOf(setting: string, region: string, account: string): string {
  if (!setting) return `sagemaker-${region}-${account}`;
  const bucket = /^s3:\/\/([^/]+)/.exec(setting.trim())?.[1];
  if (bucket === undefined || !bucketPattern.test(bucket)) {
    throw new InvalidKeyPrefixError(setting);
  }
  return bucket;
}
