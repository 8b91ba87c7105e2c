import * as assert from 'node:assert/strict';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startEmulator, type Emulator } from '../..';
import { clientsFor } from '../../../support/emulator';
import { DEVELOPER, EXECUTION_ROLE } from './helpers';

const BUCKET = 'sagemaker-us-east-1-123456789012';
const KEY = 'ssh-authorized-keys/laptop.pub';

describe('emulator: S3 presigned GET (query-string SigV4)', () => {
  /** Added to the real time: lets a test move the emulator's clock past a URL's expiry. */
  let skewMs = 0;
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({
      now: () => Date.now() + skewMs,
      scenario: {
        identities: [
          DEVELOPER,
          EXECUTION_ROLE,
          {
            name: 'no-get',
            accessKeyId: 'AKIACONTAINERSNOGET01',
            secretAccessKey: 'no-get-secret',
            arn: 'arn:aws:iam::123456789012:user/no-get',
            userId: 'AIDACONTAINERSNOGET01',
            deny: [{ action: 's3:GetObject', resource: `arn:aws:s3:::${BUCKET}/ssh-authorized-keys/*` }],
          },
        ],
        s3: { buckets: [{ name: BUCKET, objects: [{ key: KEY, body: 'ssh-ed25519 AAAA laptop\n' }] }] },
      },
    });
  });
  after(async () => {
    await emulator.close();
  });

  const presign = (identity: string, expiresIn = 300) =>
    getSignedUrl(clientsFor(emulator, identity).s3, new GetObjectCommand({ Bucket: BUCKET, Key: KEY }), {
      expiresIn,
    });

  async function get(url: string): Promise<{ status: number; body: string }> {
    const response = await fetch(url);
    return { status: response.status, body: await response.text() };
  }

  const code = (body: string): string | undefined => /<Code>([^<]+)<\/Code>/.exec(body)?.[1];

  it('serves the object to an unsigned GET of a presigned URL, as the signer', async () => {
    const url = await presign('developer');
    assert.match(url, /X-Amz-Algorithm=AWS4-HMAC-SHA256&.*X-Amz-Signature=[0-9a-f]{64}/);
    assert.deepEqual(await get(url), { status: 200, body: 'ssh-ed25519 AAAA laptop\n' });
    const call = emulator.calls.filter({ operation: 'GetObject' }).at(-1)!;
    assert.equal(call.identity, DEVELOPER.arn);
  });

  it('accepts temporary credentials (X-Amz-Security-Token in the query)', async () => {
    const url = await presign('execution-role');
    assert.match(url, /X-Amz-Security-Token=/);
    assert.equal((await get(url)).status, 200);
  });

  it('refuses an expired URL with 403 AccessDenied "Request has expired"', async () => {
    const url = await presign('developer', 60);
    skewMs = 61_000;
    try {
      const response = await get(url);
      assert.equal(response.status, 403);
      assert.equal(code(response.body), 'AccessDenied');
      assert.match(response.body, /<Message>Request has expired<\/Message>/);
    } finally {
      skewMs = 0;
    }
  });

  it('refuses tampered, unknown-key, incomplete and over-long URLs with S3 error codes', async () => {
    const url = new URL(await presign('developer'));
    const tampered = new URL(url);
    tampered.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    assert.deepEqual(
      [(await get(tampered.href)).status, code((await get(tampered.href)).body)],
      [403, 'SignatureDoesNotMatch'],
    );
    const otherKey = new URL(url);
    otherKey.pathname = `/${BUCKET}/ssh-authorized-keys/other.pub`;
    assert.equal(code((await get(otherKey.href)).body), 'SignatureDoesNotMatch');
    const unknown = new URL(url);
    unknown.searchParams.set(
      'X-Amz-Credential',
      url.searchParams.get('X-Amz-Credential')!.replace(DEVELOPER.accessKeyId, 'AKIAUNKNOWNKEY000000'),
    );
    assert.deepEqual(
      [(await get(unknown.href)).status, code((await get(unknown.href)).body)],
      [403, 'InvalidAccessKeyId'],
    );
    const incomplete = new URL(url);
    incomplete.searchParams.delete('X-Amz-Date');
    assert.deepEqual(
      [(await get(incomplete.href)).status, code((await get(incomplete.href)).body)],
      [400, 'AuthorizationQueryParametersError'],
    );
    const longer = new URL(url);
    longer.searchParams.set('X-Amz-Expires', '604801');
    assert.match(
      (await get(longer.href)).body,
      /X-Amz-Expires must be less than a week \(in seconds\) that is 604800/,
    );
  });

  it('applies the signer’s deny rules to presigned requests', async () => {
    const response = await get(await presign('no-get'));
    assert.equal(response.status, 403);
    assert.equal(code(response.body), 'AccessDenied');
    assert.match(
      response.body,
      /User: arn:aws:iam::123456789012:user\/no-get is not authorized to perform: s3:GetObject/,
    );
  });

  it('leaves unsigned requests without X-Amz-* parameters anonymous (AccessDenied)', async () => {
    await clientsFor(emulator).s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'public.txt', Body: 'x' }),
    );
    const response = await get(`${emulator.endpoint}/${BUCKET}/public.txt`);
    assert.equal(response.status, 403);
    assert.equal(code(response.body), 'AccessDenied');
  });
});
