import { AwsError } from '../../errors';
import { isDenied } from '../../auth/identities';
import type { OperationContext, S3Operation, S3Request, S3Response } from '../../operations';
import { headerText } from '../../protocols/adapter';
import { checksumHeader } from '../../protocols/checksums';
import type { DecodedS3Request } from '../../protocols/s3rest';
import { newObjectRecord, type S3ObjectRecord } from '../../stores/buckets';
import { noSuchKey, objectArn, requireBucket } from './common';

function putObject(request: S3Request, context: OperationContext): S3Response {
  const bucket = requireBucket(request, context);
  const decoded = request as DecodedS3Request;
  const encoding = (headerText(request.headers, 'content-encoding') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part !== 'aws-chunked')
    .join(', ');
  const object = newObjectRecord(request.key!, request.body, {
    contentType: headerText(request.headers, 'content-type'),
    contentEncoding: encoding || undefined,
    lastModified: context.now,
    metadata: userMetadata(request),
    checksum: decoded.checksum,
  });
  context.state.s3.put(bucket, object);
  return {
    headers: {
      etag: object.etag,
      'x-amz-server-side-encryption': 'AES256',
      [checksumHeader(object.checksum.algorithm)]: object.checksum.value,
      'x-amz-checksum-type': 'FULL_OBJECT',
    },
  };
}

function userMetadata(request: S3Request): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) {
      metadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
    }
  }
  return metadata;
}

/** S3 answers AccessDenied instead of NoSuchKey when the caller may not list the bucket. */
function findObject(request: S3Request, context: OperationContext): S3ObjectRecord {
  const bucket = requireBucket(request, context);
  const object = bucket.objects.get(request.key!);
  if (object) return object;
  const identity = context.identity;
  if (identity && isDenied(identity, 's3:ListBucket', context.state.arns.s3(bucket.name))) {
    throw new AwsError('AccessDenied', 'Access Denied', 403);
  }
  throw noSuchKey(request.key!);
}

function objectHeaders(
  object: S3ObjectRecord,
  request: S3Request,
  fullObject: boolean,
): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    'content-type': object.contentType,
    etag: object.etag,
    'last-modified': object.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
  };
  if (object.contentEncoding) headers['content-encoding'] = object.contentEncoding;
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
  if (fullObject && headerText(request.headers, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
    headers[checksumHeader(object.checksum.algorithm)] = object.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  return headers;
}

interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** A single `bytes=a-b`, `bytes=a-` or `bytes=-n` range; undefined means the whole object. */
function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) {
    throw new AwsError('InvalidRange', 'The requested range is not satisfiable', 416, {
      RangeRequested: header,
      ActualObjectSize: String(size),
    });
  }
  return { start, end };
}

function getObject(request: S3Request, context: OperationContext): S3Response {
  const object = findObject(request, context);
  const range = parseRange(headerText(request.headers, 'range'), object.body.length);
  if (!range) return { headers: objectHeaders(object, request, true), body: object.body };
  return {
    status: 206,
    headers: {
      ...objectHeaders(object, request, false),
      'content-range': `bytes ${range.start}-${range.end}/${object.body.length}`,
    },
    body: object.body.subarray(range.start, range.end + 1),
  };
}

function headObject(request: S3Request, context: OperationContext): S3Response {
  const object = findObject(request, context);
  return { headers: { ...objectHeaders(object, request, true), 'content-length': object.body.length } };
}

function deleteObject(request: S3Request, context: OperationContext): S3Response {
  const bucket = requireBucket(request, context);
  context.state.s3.delete(bucket, request.key!);
  return { status: 204 };
}

export const objectOperations: Record<string, S3Operation> = {
  PutObject: {
    route: { method: 'PUT', scope: 'object' },
    handler: putObject,
    iamAction: 's3:PutObject',
    resourceArn: objectArn,
  },
  GetObject: {
    route: { method: 'GET', scope: 'object' },
    handler: getObject,
    iamAction: 's3:GetObject',
    resourceArn: objectArn,
  },
  HeadObject: {
    route: { method: 'HEAD', scope: 'object' },
    handler: headObject,
    iamAction: 's3:GetObject',
    resourceArn: objectArn,
  },
  DeleteObject: {
    route: { method: 'DELETE', scope: 'object' },
    handler: deleteObject,
    iamAction: 's3:DeleteObject',
    resourceArn: objectArn,
  },
};
