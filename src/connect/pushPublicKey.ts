import { createHash, randomUUID } from 'node:crypto';
import type { AwsConnection } from '../aws/awsAccess';
import type { CancellationSignal } from '../util/sleep';
import { KeyBucketMissingError } from './connectErrors';
import type { KeyLocation } from './keyBucket';
import { installKeyScript, parseHostKeys } from './remoteScripts';
import { runShellCommand } from './runShellCommand';

export interface PushKeyRequest {
  readonly instanceId: string;
  /** The host alias; names the key file in the container, so a new key replaces the old one. */
  readonly alias: string;
  /** The OpenSSH public key line. */
  readonly publicKey: string;
  readonly location: KeyLocation;
  readonly signal?: CancellationSignal;
}

export interface PushKeyResult {
  /** The container's SSH host public keys, for pinning in known_hosts. */
  readonly hostKeys: string[];
  /** Resolves when the uploaded object has been deleted again. */
  readonly cleanup: Promise<void>;
}

const presignedUrlSeconds = 300;

function objectKey(location: KeyLocation, alias: string): string {
  return `${location.prefix}${alias}-${randomUUID()}.pub`;
}

/**
 * Uploads the public key to S3 under a unique object key (no two users or connections can swap
 * each other's key), has the container install it through SendCommand, and deletes the object.
 * The container gets both the s3:// URI (for its AWS CLI) and a short-lived presigned URL.
 */
export async function pushPublicKey(
  connection: AwsConnection,
  request: PushKeyRequest,
): Promise<PushKeyResult> {
  const [{ PutObjectCommand, GetObjectCommand, DeleteObjectCommand }, { getSignedUrl }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-request-presigner'),
  ]);
  const [s3, ssm] = await Promise.all([connection.clients.s3(), connection.clients.ssm()]);
  const { bucket } = request.location;
  const key = objectKey(request.location, request.alias);
  const body = `${request.publicKey.trim()}\n`;
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain' }));
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchBucket') {
      throw new KeyBucketMissingError(bucket);
    }
    throw error;
  }
  const deleteObject = (): Promise<void> =>
    s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).then(
      () => undefined,
      () => undefined,
    );
  try {
    const presignedUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: presignedUrlSeconds,
    });
    const result = await runShellCommand(ssm, {
      instanceId: request.instanceId,
      purpose: 'Installing the SSH public key',
      signal: request.signal,
      lines: installKeyScript({
        keyName: request.alias,
        s3Uri: `s3://${bucket}/${key}`,
        presignedUrl,
        keySha256: createHash('sha256').update(body).digest('hex'),
      }),
    });
    return { hostKeys: parseHostKeys(result.stdout), cleanup: deleteObject() };
  } catch (error) {
    await deleteObject();
    throw error;
  }
}
