import { createHash, randomUUID } from 'node:crypto';
import type { AwsConnection } from '../aws/awsAccess';
import type { Logger } from '../util/logger';
import { CancellationSource } from '../util/sleep';
import type { CancellationSignal } from '../util/sleep';
import { KeyBucketMissingError } from './connectErrors';
import type { KeyLocation } from './keyBucket';
import { installKeyScript, parseHostKeys } from './remoteScripts';
import { runShellCommand } from './runShellCommand';

/**
 * A public key on its way to S3 for one container to fetch. Its location and presigned URL are known
 * at once, so the install command can be sent while the upload is in flight; deleted by `remove()`.
 */
export interface UploadedKey {
  readonly s3Uri: string;
  readonly presignedUrl: string;
  readonly sha256: string;
  /** Settles once the object is stored (rejects with the upload's error). */
  readonly stored: Promise<void>;
  remove(): Promise<void>;
}

const presignedUrlSeconds = 300;

/** Loads what an upload needs (SDK modules, the S3 client) ahead of time; errors surface on use. */
export function preloadKeyUpload(connection: AwsConnection): void {
  void Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-request-presigner'),
    connection.clients.s3(),
  ]).catch(() => undefined);
}

/**
 * Starts uploading the public key under a unique object key, so no two users or connections can swap
 * each other's key (upstream used one shared name), and presigns a short-lived GET for containers
 * without the AWS CLI. Resolves once the URL is signed (locally); the PutObject goes on in `stored`.
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
  const presignedUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
    expiresIn: presignedUrlSeconds,
  });
  const stored = s3
    .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain' }))
    .then(
      () => undefined,
      (error: unknown) => {
        throw (error as { name?: string }).name === 'NoSuchBucket'
          ? new KeyBucketMissingError(bucket)
          : error;
      },
    );
  stored.catch(() => undefined);
  const remove = async (): Promise<void> => {
    if (
      !(await stored.then(
        () => true,
        () => false,
      ))
    )
      return;
    try {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      logger.warn(`Could not delete s3://${bucket}/${key}: ${connection.translate(error).message}`);
    }
  };
  return {
    s3Uri: `s3://${bucket}/${key}`,
    presignedUrl,
    sha256: createHash('sha256').update(body).digest('hex'),
    stored,
    remove,
  };
}

/**
 * Has the container install the uploaded key (SendCommand) and returns its SSH host public keys,
 * printed by the same command, for pinning. The command goes out while the upload may still be in
 * flight (the script waits for the object); an upload error wins and stops the polling.
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
  const polling = new CancellationSource();
  const parent = request.signal?.onCancel(() => polling.cancel());
  const installing = connection.clients.ssm().then((ssm) =>
    runShellCommand(ssm, {
      instanceId: request.instanceId,
      purpose: 'Installing the SSH public key',
      signal: polling,
      lines: installKeyScript({
        keyName: request.alias,
        s3Uri: request.key.s3Uri,
        presignedUrl: request.key.presignedUrl,
        keySha256: request.key.sha256,
      }),
    }),
  );
  installing.catch(() => undefined);
  try {
    await request.key.stored;
    return parseHostKeys((await installing).stdout);
  } catch (error) {
    polling.cancel();
    throw error;
  } finally {
    parent?.dispose();
  }
}
