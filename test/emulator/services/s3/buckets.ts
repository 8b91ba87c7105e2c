import { AwsError } from '../../errors';
import type { OperationContext, S3Operation, S3Request, S3Response } from '../../operations';
import { firstElementText } from '../../protocols/xml';
import { patterns } from '../../scenario/schema';
import { bucketArn, requireBucket } from './common';

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
