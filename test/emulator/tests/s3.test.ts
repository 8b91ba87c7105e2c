import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketAclCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  paginateListObjectsV2,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { ScenarioDocument } from '..';
import { clientsFor, expectAwsError, rawRequest, signedRequest, useEmulator } from '../../support/emulator';

const BUCKET = 'sagemaker-us-east-1-123456789012';

const scenario: ScenarioDocument = {
  identities: [
    {
      name: 'dev',
      accessKeyId: 'AKIAS3DEVELOPER00001',
      secretAccessKey: 's3-dev-secret',
      arn: 'arn:aws:iam::123456789012:user/dev',
      userId: 'AIDADEV',
    },
    {
      name: 'reader',
      accessKeyId: 'AKIAS3READER0000001',
      secretAccessKey: 's3-reader-secret',
      arn: 'arn:aws:iam::123456789012:user/reader',
      userId: 'AIDAREADER',
      deny: ['s3:PutObject', 's3:ListBucket'],
    },
  ],
  s3: {
    buckets: [
      {
        name: BUCKET,
        objects: [
          { key: 'ssh-authorized-keys/a.pub', body: 'ssh-ed25519 AAAA a' },
          { key: 'ssh-authorized-keys/b.pub', body: 'ssh-ed25519 AAAA b' },
          { key: 'data/2025/01/x.csv', body: 'x' },
          { key: 'data/2025/02/y.csv', body: 'y' },
          { key: 'data/readme.txt', body: 'readme', contentType: 'text/plain', metadata: { owner: 'dev' } },
          { key: 'binary.bin', bodyBase64: 'AAECAwQ=' },
        ],
      },
    ],
  },
};

function md5(text: string | Buffer): string {
  return `"${createHash('md5').update(text).digest('hex')}"`;
}

describe('emulator: S3', () => {
  const emulator = useEmulator(scenario);
  const s3 = (identity?: string) => clientsFor(emulator(), identity).s3;

  it('creates and heads buckets; unknown buckets are NoSuchBucket / 404', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'scratch-bucket' }));
    await s3().send(new CreateBucketCommand({ Bucket: 'scratch-bucket' }));
    const eu = clientsFor(emulator()).s3;
    await eu.send(
      new CreateBucketCommand({
        Bucket: 'eu-bucket',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    await expectAwsError(
      eu.send(
        new CreateBucketCommand({
          Bucket: 'eu-bucket',
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
        }),
      ),
      'BucketAlreadyOwnedByYou',
      409,
    );
    await expectAwsError(
      s3().send(new CreateBucketCommand({ Bucket: 'Bad_Bucket' })),
      'InvalidBucketName',
      400,
    );
    assert.equal((await eu.send(new HeadBucketCommand({ Bucket: 'eu-bucket' }))).BucketRegion, 'eu-west-1');
    assert.equal(
      (await s3().send(new HeadBucketCommand({ Bucket: 'scratch-bucket' }))).BucketRegion,
      'us-east-1',
    );
    const head = await s3().send(new HeadBucketCommand({ Bucket: BUCKET }));
    assert.equal(head.BucketRegion, 'us-east-1');
    await expectAwsError(s3().send(new HeadBucketCommand({ Bucket: 'missing-bucket' })), 'NotFound', 404);
    const noBucket = await expectAwsError(
      s3().send(new GetObjectCommand({ Bucket: 'missing-bucket', Key: 'k' })),
      'NoSuchBucket',
      404,
    );
    assert.ok(noBucket instanceof NoSuchBucket);
    assert.ok(noBucket.$metadata.extendedRequestId, 'S3 errors carry x-amz-id-2');
  });

  it('puts and gets objects with the SDK default CRC32 checksum; ETag is the quoted MD5', async () => {
    const put = await s3().send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'keys/dev key.pub',
        Body: 'ssh-ed25519 AAAA dev',
        ContentType: 'text/plain',
        Metadata: { who: 'me' },
      }),
    );
    assert.equal(put.ETag, md5('ssh-ed25519 AAAA dev'));
    assert.ok(put.ChecksumCRC32);
    const got = await s3().send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'keys/dev key.pub', ChecksumMode: 'ENABLED' }),
    );
    assert.equal(await got.Body!.transformToString(), 'ssh-ed25519 AAAA dev');
    assert.equal(got.ETag, put.ETag);
    assert.equal(got.ContentType, 'text/plain');
    assert.equal(got.ContentLength, 20);
    assert.equal(
      got.ChecksumCRC32,
      put.ChecksumCRC32,
      'the SDK validated the returned checksum against the body',
    );
    assert.deepEqual(got.Metadata, { who: 'me' });
    assert.ok(got.LastModified instanceof Date);
  });

  it('decodes aws-chunked streaming uploads with trailing checksums of every algorithm', async () => {
    for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
      const text = `streamed body for ${algorithm} `.repeat(300);
      const chunks = [Buffer.from(text.slice(0, 1000)), Buffer.from(text.slice(1000))];
      const put = await s3().send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: `stream/${algorithm}`,
          Body: Readable.from(chunks),
          ContentLength: Buffer.byteLength(text),
          ChecksumAlgorithm: algorithm,
        }),
      );
      assert.equal(put.ETag, md5(text), `${algorithm}: stored the decoded body`);
      const got = await s3().send(
        new GetObjectCommand({ Bucket: BUCKET, Key: `stream/${algorithm}`, ChecksumMode: 'ENABLED' }),
      );
      assert.equal(await got.Body!.transformToString(), text);
    }
  });

  it('rejects a body whose checksum does not match (BadDigest) and a wrong Content-MD5', async () => {
    const badChecksum = await signedRequest(emulator(), {
      service: 's3',
      method: 'PUT',
      path: `/${BUCKET}/tampered`,
      identity: 'dev',
      headers: { 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      body: 'payload',
    });
    assert.equal(badChecksum.status, 400);
    assert.match(badChecksum.body, /<Code>BadDigest<\/Code>/);
    assert.match(badChecksum.body, /The CRC32 you specified did not match the calculated checksum\./);
    const badMd5 = await signedRequest(emulator(), {
      service: 's3',
      method: 'PUT',
      path: `/${BUCKET}/tampered`,
      identity: 'dev',
      headers: {
        'content-md5': createHash('md5').update('other').digest('base64'),
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      },
      body: 'payload',
    });
    assert.match(badMd5.body, /<Code>BadDigest<\/Code>/);
  });

  it('serves byte ranges and HEAD metadata', async () => {
    const ranged = await s3().send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'data/readme.txt', Range: 'bytes=1-3' }),
    );
    assert.equal(await ranged.Body!.transformToString(), 'ead');
    assert.equal(ranged.ContentRange, 'bytes 1-3/6');
    assert.equal(ranged.$metadata.httpStatusCode, 206);
    const head = await s3().send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'data/readme.txt' }));
    assert.equal(head.ContentLength, 6);
    assert.equal(head.ContentType, 'text/plain');
    assert.deepEqual(head.Metadata, { owner: 'dev' });
    assert.equal(head.ETag, md5('readme'));
    const binary = await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'binary.bin' }));
    assert.deepEqual([...(await binary.Body!.transformToByteArray())], [0, 1, 2, 3, 4]);
    await expectAwsError(
      s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'data/readme.txt', Range: 'bytes=100-200' })),
      'InvalidRange',
      416,
    );
  });

  it('answers NoSuchKey for GET and a bodiless 404 for HEAD; DeleteObject is idempotent', async () => {
    const missing = await expectAwsError(
      s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'nope' })),
      'NoSuchKey',
      404,
    );
    assert.ok(missing instanceof NoSuchKey);
    await expectAwsError(s3().send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'nope' })), 'NotFound', 404);
    await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'delete-me', Body: 'x' }));
    const deleted = await s3().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'delete-me' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await s3().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'delete-me' }));
    await expectAwsError(s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'delete-me' })), 'NoSuchKey');
    await expectAwsError(
      s3().send(new DeleteObjectCommand({ Bucket: 'missing-bucket', Key: 'k' })),
      'NoSuchBucket',
    );
  });

  it('lists objects with prefix, delimiter, start-after, max-keys and continuation tokens', async () => {
    const client = s3();
    const top = await client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'data/', Delimiter: '/' }),
    );
    assert.deepEqual(
      top.Contents!.map((object) => object.Key),
      ['data/readme.txt'],
    );
    assert.deepEqual(
      top.CommonPrefixes!.map((prefix) => prefix.Prefix),
      ['data/2025/'],
    );
    assert.equal(top.KeyCount, 2);
    const readme = top.Contents![0]!;
    assert.equal(readme.Size, 6);
    assert.equal(readme.ETag, md5('readme'));
    assert.equal(readme.StorageClass, 'STANDARD');
    const nested = await client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'data/2025/', Delimiter: '/' }),
    );
    assert.deepEqual(
      nested.CommonPrefixes!.map((prefix) => prefix.Prefix),
      ['data/2025/01/', 'data/2025/02/'],
    );
    const after = await client.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: 'ssh-authorized-keys/',
        StartAfter: 'ssh-authorized-keys/a.pub',
      }),
    );
    assert.deepEqual(
      after.Contents!.map((object) => object.Key),
      ['ssh-authorized-keys/b.pub'],
    );
    const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Delimiter: '/', MaxKeys: 2 }));
    assert.equal(page.IsTruncated, true);
    assert.equal(page.KeyCount, 2);
    const rest = await client.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Delimiter: '/',
        ContinuationToken: page.NextContinuationToken,
      }),
    );
    const firstPage = [
      ...(page.Contents ?? []).map((o) => o.Key),
      ...(page.CommonPrefixes ?? []).map((p) => p.Prefix),
    ];
    const secondPage = [
      ...(rest.Contents ?? []).map((o) => o.Key),
      ...(rest.CommonPrefixes ?? []).map((p) => p.Prefix),
    ];
    assert.equal(
      new Set([...firstPage, ...secondPage]).size,
      firstPage.length + secondPage.length,
      'no overlap across pages',
    );
    assert.ok(secondPage.includes('ssh-authorized-keys/'));
    const all: string[] = [];
    for await (const listing of paginateListObjectsV2(
      { client, pageSize: 1 },
      { Bucket: BUCKET, Prefix: 'ssh-authorized-keys/' },
    )) {
      all.push(...(listing.Contents ?? []).map((object) => object.Key!));
    }
    assert.deepEqual(all, ['ssh-authorized-keys/a.pub', 'ssh-authorized-keys/b.pub']);
    const empty = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: 0 }));
    assert.equal(empty.KeyCount, 0);
    await expectAwsError(
      client.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: 'bogus' })),
      'InvalidArgument',
      400,
    );
    await expectAwsError(
      client.send(new ListObjectsV2Command({ Bucket: 'missing-bucket' })),
      'NoSuchBucket',
      404,
    );
  });

  it('round-trips keys with spaces, unicode and reserved characters, also with encoding-type=url', async () => {
    const key = 'odd/ünïcødé key+plus&amp=eq?.txt';
    await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'odd' }));
    const got = await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    assert.equal(await got.Body!.transformToString(), 'odd');
    const listed = await s3().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'odd/' }));
    assert.deepEqual(
      listed.Contents!.map((object) => object.Key),
      [key],
    );
    const encoded = await s3().send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'odd/', EncodingType: 'url' }),
    );
    const encodedKey = encoded.Contents![0]!.Key!;
    assert.notEqual(encodedKey, key, 'keys come back url-encoded');
    assert.equal(decodeURIComponent(encodedKey), key);
    assert.equal(encoded.EncodingType, 'url');
  });

  it('enforces deny rules: AccessDenied, and AccessDenied instead of NoSuchKey without s3:ListBucket', async () => {
    const denied = await expectAwsError(
      s3('reader').send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x' })),
      'AccessDenied',
      403,
    );
    assert.equal(
      denied.message,
      `User: arn:aws:iam::123456789012:user/reader is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::${BUCKET}/k because no identity-based policy allows the s3:PutObject action`,
    );
    const readable = await s3('reader').send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'data/readme.txt' }),
    );
    assert.equal(await readable.Body!.transformToString(), 'readme');
    await expectAwsError(
      s3('reader').send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing' })),
      'AccessDenied',
      403,
    );
    const head = await s3('reader')
      .send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing' }))
      .then(
        () => undefined,
        (error: { $metadata: { httpStatusCode?: number } }) => error,
      );
    assert.equal(head?.$metadata.httpStatusCode, 403, 'HEAD errors have no body, only the status');
  });

  it('answers operations it does not implement with 501 NotImplemented', async () => {
    await expectAwsError(s3().send(new GetBucketAclCommand({ Bucket: BUCKET })), 'NotImplemented', 501);
    const unsigned = await rawRequest(emulator(), { method: 'GET', path: `/${BUCKET}/data/readme.txt` });
    assert.equal(unsigned.status, 403);
    assert.match(unsigned.body, /<Code>AccessDenied<\/Code>/);
    assert.ok(unsigned.headers['x-amz-request-id'] && unsigned.headers['x-amz-id-2']);
  });
});
