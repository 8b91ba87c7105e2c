import { AwsError } from '../../errors';
import type { OperationContext, S3Operation, S3Request, S3Response } from '../../operations';
import { el, optionalEl, renderXml, withAttributes, type XmlNode } from '../../protocols/xml';
import {
  lowerBound,
  prefixEnd,
  upperBound,
  type BucketRecord,
  type S3ObjectRecord,
} from '../../stores/buckets';
import { bucketArn, canonicalUserId, requireBucket, S3_XMLNS } from './common';

interface ListParameters {
  readonly prefix: string;
  readonly delimiter?: string;
  readonly maxKeys: number;
  readonly startAfter?: string;
  readonly continuationToken?: string;
  readonly encodeUrl: boolean;
  readonly fetchOwner: boolean;
}

interface ListPage {
  readonly contents: S3ObjectRecord[];
  readonly commonPrefixes: string[];
  /** Where the next page starts (exclusive), when truncated. */
  readonly resumeAfter?: { readonly key: string; readonly isPrefix: boolean };
}

function invalidArgument(name: string, value: string, message: string): AwsError {
  return new AwsError('InvalidArgument', message, 400, { ArgumentName: name, ArgumentValue: value });
}

function readParameters(request: S3Request): ListParameters {
  const query = request.query;
  if (query.get('list-type') !== '2') {
    throw invalidArgument('list-type', query.get('list-type') ?? '', 'Invalid List Type specified');
  }
  const maxKeysText = query.get('max-keys');
  const maxKeys = maxKeysText === null ? 1000 : Number(maxKeysText);
  if (!Number.isInteger(maxKeys) || maxKeys < 0) {
    throw invalidArgument(
      'max-keys',
      maxKeysText ?? '',
      'Provided max-keys not an integer or within integer range',
    );
  }
  const encoding = query.get('encoding-type');
  if (encoding !== null && encoding !== 'url') {
    throw invalidArgument('encoding-type', encoding, 'Invalid Encoding Method specified in Request');
  }
  return {
    prefix: query.get('prefix') ?? '',
    delimiter: query.get('delimiter') || undefined,
    maxKeys: Math.min(maxKeys, 1000),
    startAfter: query.get('start-after') ?? undefined,
    continuationToken: query.get('continuation-token') ?? undefined,
    encodeUrl: encoding === 'url',
    fetchOwner: query.get('fetch-owner') === 'true',
  };
}

/** Index of the first key to consider, after start-after and the continuation point. */
function startIndex(
  bucket: BucketRecord,
  params: ListParameters,
  resume?: { key: string; isPrefix: boolean },
): number {
  let index = lowerBound(bucket.sortedKeys, params.prefix);
  if (params.startAfter !== undefined)
    index = Math.max(index, upperBound(bucket.sortedKeys, params.startAfter));
  if (resume) {
    // After a common prefix, skip every key under it.
    const after = resume.isPrefix
      ? prefixEnd(bucket.sortedKeys, resume.key)
      : upperBound(bucket.sortedKeys, resume.key);
    index = Math.max(index, after);
  }
  return index;
}

function collect(bucket: BucketRecord, params: ListParameters, from: number): ListPage {
  const contents: S3ObjectRecord[] = [];
  const commonPrefixes: string[] = [];
  let last: ListPage['resumeAfter'];
  for (let index = from; index < bucket.sortedKeys.length; index++) {
    const key = bucket.sortedKeys[index]!;
    if (!key.startsWith(params.prefix)) break;
    const commonPrefix = groupOf(key, params);
    if (commonPrefix !== undefined && commonPrefix === commonPrefixes[commonPrefixes.length - 1]) continue;
    if (contents.length + commonPrefixes.length >= params.maxKeys) {
      return { contents, commonPrefixes, resumeAfter: last };
    }
    if (commonPrefix !== undefined) {
      commonPrefixes.push(commonPrefix);
      last = { key: commonPrefix, isPrefix: true };
    } else {
      contents.push(bucket.objects.get(key)!);
      last = { key, isPrefix: false };
    }
  }
  return { contents, commonPrefixes };
}

function groupOf(key: string, params: ListParameters): string | undefined {
  if (!params.delimiter) return undefined;
  const at = key.indexOf(params.delimiter, params.prefix.length);
  return at === -1 ? undefined : key.slice(0, at + params.delimiter.length);
}

function listObjectsV2(request: S3Request, context: OperationContext): S3Response {
  const bucket = requireBucket(request, context);
  const params = readParameters(request);
  const scope = `ListObjectsV2:${bucket.name}:${params.prefix}:${params.delimiter ?? ''}`;
  let resume: { key: string; isPrefix: boolean } | undefined;
  if (params.continuationToken !== undefined) {
    const cursor = context.pagination.decodeToken(scope, params.continuationToken);
    if (!cursor || typeof cursor[0] !== 'string') {
      throw invalidArgument(
        'continuation-token',
        params.continuationToken,
        'The continuation token provided is incorrect',
      );
    }
    resume = { key: cursor[0], isPrefix: cursor[1] === 1 };
  }
  const page =
    params.maxKeys === 0
      ? { contents: [], commonPrefixes: [] }
      : collect(bucket, params, startIndex(bucket, params, resume));
  const nextToken = page.resumeAfter
    ? context.pagination.encodeToken(scope, [page.resumeAfter.key, page.resumeAfter.isPrefix ? 1 : 0])
    : undefined;
  const encode = (text: string): string =>
    params.encodeUrl ? encodeURIComponent(text).replace(/%2F/g, '/') : text;
  const owner = el('Owner', el('ID', canonicalUserId(context.state.account)));
  const document = withAttributes(
    el(
      'ListBucketResult',
      el('Name', bucket.name),
      el('Prefix', encode(params.prefix)),
      optionalEl('StartAfter', params.startAfter === undefined ? undefined : encode(params.startAfter)),
      optionalEl('ContinuationToken', params.continuationToken),
      el('KeyCount', page.contents.length + page.commonPrefixes.length),
      el('MaxKeys', params.maxKeys),
      optionalEl('Delimiter', params.delimiter === undefined ? undefined : encode(params.delimiter)),
      optionalEl('EncodingType', params.encodeUrl ? 'url' : undefined),
      el('IsTruncated', nextToken !== undefined),
      page.contents.map((object) => contentsEntry(object, encode, params.fetchOwner ? owner : undefined)),
      page.commonPrefixes.map((prefix) => el('CommonPrefixes', el('Prefix', encode(prefix)))),
      optionalEl('NextContinuationToken', nextToken),
    ),
    { xmlns: S3_XMLNS },
  );
  return { headers: { 'content-type': 'application/xml' }, body: renderXml(document) };
}

function contentsEntry(object: S3ObjectRecord, encode: (text: string) => string, owner?: XmlNode): XmlNode {
  return el(
    'Contents',
    el('Key', encode(object.key)),
    el('LastModified', object.lastModified),
    el('ETag', object.etag),
    el('ChecksumAlgorithm', object.checksum.algorithm),
    el('ChecksumType', 'FULL_OBJECT'),
    el('Size', object.body.length),
    owner,
    el('StorageClass', 'STANDARD'),
  );
}

export const listObjectOperations: Record<string, S3Operation> = {
  ListObjectsV2: {
    route: { method: 'GET', scope: 'bucket', subresource: 'list-type' },
    handler: listObjectsV2,
    iamAction: 's3:ListBucket',
    resourceArn: bucketArn,
  },
};
