import { createHash } from 'node:crypto';
import { AwsError } from '../../errors';
import type { OperationContext, S3Request } from '../../operations';
import type { BucketRecord } from '../../stores/buckets';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function noSuchBucket(bucket: string): AwsError {
  return new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
}

export function noSuchKey(key: string): AwsError {
  return new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
}

export function requireBucket(request: S3Request, context: OperationContext): BucketRecord {
  const bucket = context.state.s3.get(request.bucket!);
  if (!bucket) throw noSuchBucket(request.bucket!);
  return bucket;
}

/** The canonical user id S3 shows as the account's Owner.ID. */
export function canonicalUserId(account: string): string {
  return createHash('sha256').update(`emulator-owner/${account}`).digest('hex');
}

export function bucketArn(request: S3Request, context: OperationContext): string {
  return context.state.arns.s3(request.bucket!);
}

export function objectArn(request: S3Request, context: OperationContext): string {
  return context.state.arns.s3(request.bucket!, request.key);
}
