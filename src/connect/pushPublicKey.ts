import { createHash, randomUUID } from 'node:crypto';
import type { AwsConnection } from '../aws/awsAccess';
import type { Logger } from '../util/logger';
import type { CancellationSignal } from '../util/sleep';
import { KeyBucketMissingError } from './connectErrors';
import type { KeyLocation } from './keyBucket';
import { installKeyScript, parseHostKeys } from './remoteScripts';
import { runShellCommand } from './runShellCommand';

/** A public key uploaded to S3 for one container to fetch; deleted by `remove()`. */
export interface UploadedKey {
  readonly s3Uri: string;
  readonly presignedUrl: string;
  readonly sha256: string;
  remove(): Promise<void>;
}

const presignedUrlSeconds = 300;

/**
 * Uploads the public key under a unique object key, so no two users or connections can swap each
 * other's key (upstream used one shared name), and presigns a short-lived GET for containers
 * without the AWS CLI. Independent of the instance, so it can run while the instance is resolved.
 */
export async function uploadPublicKey(
  connection: AwsConnection,
  location: KeyLocation,
  alias: string,
  publicKey: string,
  logger: Logger,
): Promise<UploadedKey> {
  const [{ PutObjectCommand, GetObjectCommand, DeleteObjectCommand }, { getSignedUrl }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-request-presigner'),
  ]);
  const s3 = await connection.clients.s3();
  const { bucket } = location;
  const key = `${location.prefix}${alias}-${randomUUID()}.pub`;
  const body = `${publicKey.trim()}\n`;
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain' }));
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchBucket') {
      throw new KeyBucketMissingError(bucket);
    }
    throw error;
  }
  const remove = async (): Promise<void> => {
    try {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      logger.warn(`Could not delete s3://${bucket}/${key}: ${connection.translate(error).message}`);
    }
  };
  try {
    const presignedUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: presignedUrlSeconds,
    });
    return {
      s3Uri: `s3://${bucket}/${key}`,
      presignedUrl,
      sha256: createHash('sha256').update(body).digest('hex'),
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

/**
 * Has the container install the uploaded key (SendCommand) and returns its SSH host public keys,
 * printed by the same command, for pinning.
 */
export async function installUploadedKey(
  connection: AwsConnection,
  request: {
    readonly instanceId: string;
    readonly alias: string;
    readonly key: UploadedKey;
    readonly signal?: CancellationSignal;
  },
): Promise<string[]> {
  const result = await runShellCommand(await connection.clients.ssm(), {
    instanceId: request.instanceId,
    purpose: 'Installing the SSH public key',
    signal: request.signal,
    lines: installKeyScript({
      keyName: request.alias,
      s3Uri: request.key.s3Uri,
      presignedUrl: request.key.presignedUrl,
      keySha256: request.key.sha256,
    }),
  });
  return parseHostKeys(result.stdout);
}
