import { createHash } from 'node:crypto';
import type { AuthFailure } from '../auth/authenticate';
import { sha256Hex } from '../auth/sigv4';
import { AwsError } from '../errors';
import { s3HostId, s3RequestId } from '../ids';
import type { AnyOperation, S3Request, S3Response, ServiceDefinition } from '../operations';
import type { StoredChecksum } from '../stores/buckets';
import {
  headerText,
  type HttpReply,
  type IdentifiedCall,
  type ProtocolAdapter,
  type RawRequest,
} from './adapter';
import { ChunkedEncodingError, decodeAwsChunked } from './awsChunked';
import { CHECKSUM_ALGORITHMS, checksumHeader, computeChecksum, type ChecksumAlgorithm } from './checksums';
import { el, renderXml } from './xml';

/** Query parameters that select a different S3 operation on the same path. */
const SUBRESOURCES = new Set([
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'delete',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'list-type',
  'location',
  'logging',
  'metadataTable',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'partNumber',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'session',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
]);

/** Headers that likewise turn a request into another operation (PUT + x-amz-copy-source is CopyObject). */
const OPERATION_HEADERS = ['x-amz-copy-source'];

/** An S3 request with its decoded body and the checksum the client sent, if any. */
export interface DecodedS3Request extends S3Request {
  readonly checksum?: StoredChecksum;
}

export interface S3Path {
  readonly bucket?: string;
  readonly key?: string;
}

/** Path-style addressing: `/<bucket>/<key...>`. */
export function parseS3Path(rawPath: string): S3Path {
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (path === '') return {};
  const slash = path.indexOf('/');
  const bucket = decode(slash === -1 ? path : path.slice(0, slash));
  const key = slash === -1 ? undefined : decode(path.slice(slash + 1));
  return { bucket, key: key === '' ? undefined : key };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AwsError('InvalidURI', "Couldn't parse the specified URI.", 400);
  }
}

/** S3 REST-XML: the operation follows from method, path and subresource; errors are `<Error>` documents. */
export const s3Protocol: ProtocolAdapter = {
  newRequestId: s3RequestId,

  identify(request: RawRequest, service: ServiceDefinition): IdentifiedCall {
    const { bucket, key } = parseS3Path(request.rawPath);
    const scope = !bucket ? 'service' : key === undefined ? 'bucket' : 'object';
    const query = new URLSearchParams(request.rawQuery);
    const selectors = [
      ...[...query.keys()].filter((name) => SUBRESOURCES.has(name)),
      ...OPERATION_HEADERS.filter((name) => request.headers[name] !== undefined),
    ];
    for (const [operation, spec] of service.operations) {
      if (routeMatches(spec, request.method, scope, selectors)) return { operation, spec };
    }
    const described = selectors.length > 0 ? `?${selectors.join('&')}` : '';
    return { operation: `${request.method} ${scope}${described}` };
  },

  decodeInput(request: RawRequest): DecodedS3Request {
    const { bucket, key } = parseS3Path(request.rawPath);
    const { body, checksum } = decodeBody(request);
    return {
      method: request.method,
      bucket,
      key,
      query: new URLSearchParams(request.rawQuery),
      headers: request.headers,
      body,
      checksum,
    };
  },

  success(output: unknown, _call: IdentifiedCall, requestId: string): HttpReply {
    const response = (output ?? {}) as S3Response;
    const body = response.body ?? '';
    return {
      status: response.status ?? 200,
      headers: {
        ...s3Headers(requestId),
        'content-length': Buffer.byteLength(body),
        ...response.headers,
      },
      body,
    };
  },

  error(error: AwsError, requestId: string, request: RawRequest): HttpReply {
    const headers = s3Headers(requestId);
    if (request.method === 'HEAD') return { status: error.status, headers };
    const document = el(
      'Error',
      el('Code', error.code),
      el('Message', error.message),
      ...Object.entries(error.fields).map(([name, value]) => el(name, value)),
      el('RequestId', requestId),
      el('HostId', headers['x-amz-id-2']!),
    );
    return {
      status: error.status,
      headers: { ...headers, 'content-type': 'application/xml' },
      body: renderXml(document),
    };
  },

  unknownOperation(): AwsError {
    return new AwsError(
      'NotImplemented',
      'A header you provided implies functionality that is not implemented',
      501,
    );
  },

  authError(failure: AuthFailure): AwsError {
    switch (failure.kind) {
      case 'missing':
        return new AwsError('AccessDenied', 'Access Denied', 403);
      case 'malformed':
        return new AwsError(
          'AuthorizationHeaderMalformed',
          `The authorization header is malformed; ${failure.detail}`,
          400,
        );
      case 'unknownAccessKey':
        return new AwsError(
          'InvalidAccessKeyId',
          'The AWS Access Key Id you provided does not exist in our records.',
          403,
        );
      case 'invalidSessionToken':
        return new AwsError('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400);
      case 'expired':
        return new AwsError('ExpiredToken', 'The provided token has expired.', 400);
      case 'wrongRegion':
      case 'badSignature':
        return new AwsError(
          'SignatureDoesNotMatch',
          'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
          403,
        );
      case 'queryMalformed':
        return new AwsError('AuthorizationQueryParametersError', failure.detail, 400);
      case 'requestExpired':
        return new AwsError('AccessDenied', 'Request has expired', 403);
    }
  },

  accessDenied(message: string): AwsError {
    return new AwsError('AccessDenied', message, 403);
  },
};

function routeMatches(
  spec: AnyOperation,
  method: string,
  scope: string,
  selectors: readonly string[],
): boolean {
  const route = spec.route;
  if (!route || route.method !== method || route.scope !== scope) return false;
  const wanted = [route.subresource, route.header].filter((name): name is string => name !== undefined);
  return wanted.length === selectors.length && wanted.every((name) => selectors.includes(name));
}

function s3Headers(requestId: string): Record<string, string> {
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': s3HostId(), server: 'AmazonS3' };
}

/** Undoes aws-chunked framing and checks every integrity header the client sent. */
function decodeBody(request: RawRequest): { body: Buffer; checksum?: StoredChecksum } {
  const contentSha256 = headerText(request.headers, 'x-amz-content-sha256');
  const encoding = headerText(request.headers, 'content-encoding') ?? '';
  const chunked =
    encoding.split(',').some((part) => part.trim() === 'aws-chunked') ||
    contentSha256?.startsWith('STREAMING-');
  let body = request.body;
  let trailers: ReadonlyMap<string, string> = new Map();
  if (chunked) {
    try {
      ({ body, trailers } = decodeAwsChunked(request.body));
    } catch (error) {
      if (error instanceof ChunkedEncodingError)
        throw new AwsError('IncompleteBody', `Malformed aws-chunked body: ${error.message}`, 400);
      throw error;
    }
    const declared = headerText(request.headers, 'x-amz-decoded-content-length');
    if (declared !== undefined && Number(declared) !== body.length) {
      throw new AwsError(
        'IncompleteBody',
        'You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header',
        400,
      );
    }
  } else if (contentSha256 && /^[0-9a-f]{64}$/.test(contentSha256) && sha256Hex(body) !== contentSha256) {
    throw new AwsError(
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      400,
    );
  }
  checkContentMd5(request, body);
  return { body, checksum: verifyChecksum(request, trailers, body) };
}

function checkContentMd5(request: RawRequest, body: Buffer): void {
  const md5 = headerText(request.headers, 'content-md5');
  if (md5 === undefined) return;
  if (!/^[A-Za-z0-9+/]{22}==$/.test(md5))
    throw new AwsError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400);
  if (createHash('md5').update(body).digest('base64') !== md5) {
    throw new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
  }
}

function verifyChecksum(
  request: RawRequest,
  trailers: ReadonlyMap<string, string>,
  body: Buffer,
): StoredChecksum | undefined {
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const header = checksumHeader(algorithm);
    const value = trailers.get(header) ?? headerText(request.headers, header);
    if (value === undefined) continue;
    if (computeChecksum(algorithm, body) !== value) {
      throw new AwsError(
        'BadDigest',
        `The ${algorithm} you specified did not match the calculated checksum.`,
        400,
      );
    }
    return { algorithm: algorithm as ChecksumAlgorithm, value };
  }
  const declaredTrailer = headerText(request.headers, 'x-amz-trailer');
  if (declaredTrailer && !trailers.has(declaredTrailer.toLowerCase())) {
    throw new AwsError(
      'IncompleteBody',
      `The trailer ${declaredTrailer} declared in x-amz-trailer was not sent`,
      400,
    );
  }
  return undefined;
}
