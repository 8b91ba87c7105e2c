import type { S3Client } from '@aws-sdk/client-s3';
import { PayloadAwsError } from './errors';
import type { PayloadArchive } from './payloadArchive';
import { errorName, httpStatusOf } from '../util/errors';

/** The Studio payload goes next to the uploaded keys, under its own prefix. */
export const PAYLOAD_S3_PREFIX = 'sagemaker-ssh-payload/';

export interface PublishedPayload {
  readonly bucket: string;
  readonly key: string;
  /** s3://bucket/key */
  readonly uri: string;
  readonly sha256: string;
  /** False when the same archive was already there (the key is derived from its content). */
  readonly uploaded: boolean;
}

function explain(error: unknown, bucket: string, key: string): PayloadAwsError {
  const name = errorName(error);
  if (name === 'NoSuchBucket') {
    return new PayloadAwsError(
      'PayloadBucketMissing',
      `The S3 bucket ${bucket} does not exist. Create it (SageMaker creates sagemaker-<region>-<account> the ` +
        'first time its SDK needs it), or set "sagemakerSsh.keysS3Prefix" to a bucket that Studio apps can read.',
      error,
    );
  }
  if (name === 'AccessDenied' || httpStatusOf(error) === 403) {
    return new PayloadAwsError(
      'PayloadUploadDenied',
      `Uploading the SSH helper to s3://${bucket}/${key} was denied: your identity needs s3:PutObject and ` +
        `s3:GetObject on arn:aws:s3:::${bucket}/${PAYLOAD_S3_PREFIX}*, and the Studio execution role needs ` +
        's3:GetObject there too.',
      error,
    );
  }
  return new PayloadAwsError(
    'PayloadUploadFailed',
    `Uploading the SSH helper to s3://${bucket}/${key} failed: ${(error as Error).message}`,
    error,
  );
}

/**
 * Uploads the payload archive for Studio lifecycle configurations, which are too small (16 KB) to
 * carry it. The key contains the archive's hash, so an existing object is the same archive.
 */
export async function publishPayload(
  s3: S3Client,
  bucket: string,
  archive: PayloadArchive,
  prefix: string = PAYLOAD_S3_PREFIX,
): Promise<PublishedPayload> {
  const { HeadObjectCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const key = `${prefix}sagemaker_ssh_helper-${archive.sha256.slice(0, 16)}.tar.gz`;
  const published = { bucket, key, uri: `s3://${bucket}/${key}`, sha256: archive.sha256 };
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    if (head.ContentLength === archive.bytes.length) {
      return { ...published, uploaded: false };
    }
  } catch (error) {
    if (errorName(error) !== 'NotFound' && httpStatusOf(error) !== 404) {
      throw explain(error, bucket, key);
    }
  }
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: archive.bytes,
        ContentType: 'application/gzip',
      }),
    );
  } catch (error) {
    throw explain(error, bucket, key);
  }
  return { ...published, uploaded: true };
}
