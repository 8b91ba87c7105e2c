import { AwsError } from '../../errors';
import type { OperationContext, S3Operation, S3Request, S3Response } from '../../operations';
import { el, firstElementText, optionalEl, renderXml, withAttributes } from '../../protocols/xml';
import { patterns } from '../../scenario/schema';
import type { BucketRecord } from '../../stores/buckets';
import { bucketArn, canonicalUserId, requireBucket, S3_XMLNS } from './common';

function listBuckets(request: S3Request, context: OperationContext): S3Response {
  const prefix = request.query.get('prefix') ?? undefined;
  const limit = readMaxBuckets(request.query.get('max-buckets'));
  const token = request.query.get('continuation-token') ?? undefined;
  const page = context.pagination.page({
    scope: `ListBuckets:${prefix ?? ''}`,
    version: context.state.s3.all().length,
    items: () =>
      context.state.s3.all().filter((bucket) => prefix === undefined || bucket.name.startsWith(prefix)),
    order: { key: (bucket: BucketRecord) => [bucket.name], descending: false },
    nextToken: token,
    limit,
    invalidToken: () =>
      new AwsError('InvalidArgument', 'The continuation token provided is incorrect', 400, {
        ArgumentName: 'continuation-token',
      }),
  });
  const identity = context.identity!;
  const document = withAttributes(
    el(
      'ListAllMyBucketsResult',
      el('Owner', el('ID', canonicalUserId(identity.account)), el('DisplayName', identity.name)),
      el(
        'Buckets',
        page.items.map((bucket) =>
          el(
            'Bucket',
            el('Name', bucket.name),
            el('CreationDate', bucket.creationDate),
            el('BucketRegion', bucket.region),
          ),
        ),
      ),
      optionalEl('Prefix', prefix),
      optionalEl('ContinuationToken', page.nextToken),
    ),
    { xmlns: S3_XMLNS },
  );
  return { headers: { 'content-type': 'application/xml' }, body: renderXml(document) };
}

function readMaxBuckets(text: string | null): number {
  if (text === null) return 10_000;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 10_000) {
    throw new AwsError('InvalidArgument', 'max-buckets must be an integer between 1 and 10000', 400, {
      ArgumentName: 'max-buckets',
      ArgumentValue: text,
    });
  }
  return value;
}

function createBucket(request: S3Request, context: OperationContext): S3Response {
  const name = request.bucket!;
  if (!patterns.bucket.pattern.test(name) || name.includes('..')) {
    throw new AwsError('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: name });
  }
  const region = locationConstraint(request.body) ?? 'us-east-1';
  const existing = context.state.s3.get(name);
  if (existing) {
    // us-east-1 keeps its legacy behaviour: re-creating your own bucket succeeds.
    if (existing.region === 'us-east-1' && region === 'us-east-1')
      return { headers: { location: `/${name}` } };
    throw new AwsError(
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      409,
      { BucketName: name },
    );
  }
  context.state.s3.create(name, region, context.now);
  return { headers: { location: `/${name}` } };
}

function locationConstraint(body: Buffer): string | undefined {
  try {
    return firstElementText(body.toString('utf8'), 'LocationConstraint') || undefined;
  } catch {
    throw new AwsError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
      400,
    );
  }
}

function headBucket(request: S3Request, context: OperationContext): S3Response {
  const bucket = requireBucket(request, context);
  return { headers: { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' } };
}

export const bucketOperations: Record<string, S3Operation> = {
  ListBuckets: {
    route: { method: 'GET', scope: 'service' },
    handler: listBuckets,
    iamAction: 's3:ListAllMyBuckets',
    resourceArn: (_request, context) => `arn:${context.state.partition}:s3:::*`,
  },
  CreateBucket: {
    route: { method: 'PUT', scope: 'bucket' },
    handler: createBucket,
    iamAction: 's3:CreateBucket',
    resourceArn: bucketArn,
  },
  HeadBucket: {
    route: { method: 'HEAD', scope: 'bucket' },
    handler: headBucket,
    iamAction: 's3:ListBucket',
    resourceArn: bucketArn,
  },
};
