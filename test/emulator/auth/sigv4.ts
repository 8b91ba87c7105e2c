import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * AWS Signature Version 4, header form (`Authorization: AWS4-HMAC-SHA256 Credential=...`).
 * Only what a server needs: parse the header and recompute the signature of a received request.
 */

export interface SignatureHeader {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** Parses the Authorization header; returns a reason string when it is malformed. */
export function parseAuthorization(value: string): SignatureHeader | string {
  if (!value.startsWith(ALGORITHM + ' ')) return `Authorization header must use ${ALGORITHM}`;
  const parts = new Map<string, string>();
  for (const part of value.slice(ALGORITHM.length + 1).split(',')) {
    const [name, ...rest] = part.trim().split('=');
    if (name && rest.length > 0) parts.set(name, rest.join('='));
  }
  const credential = parts.get('Credential');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    return "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters";
  }
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request' || !/^\d{8}$/.test(scope[1]!)) {
    return `Credential '${credential}' must look like <AccessKeyId>/<yyyymmdd>/<region>/<service>/aws4_request`;
  }
  return {
    accessKeyId: scope[0]!,
    date: scope[1]!,
    region: scope[2]!,
    service: scope[3]!,
    signedHeaders: signedHeaders.split(';'),
    signature,
  };
}

/** The service named in the credential scope, without validating anything else. */
export function scopeService(authorization: string | undefined): string | undefined {
  const match = /Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/([^/,\s]+)\/aws4_request/.exec(authorization ?? '');
  return match?.[1];
}

export interface ReceivedRequest {
  readonly method: string;
  /** Path exactly as received (still percent-encoded). */
  readonly rawPath: string;
  /** Query string exactly as received, without '?'. */
  readonly rawQuery: string;
  /** Node's `rawHeaders` (name, value, name, value, ...). */
  readonly rawHeaders: readonly string[];
  readonly payloadHash: string;
}

export interface SigningOptions {
  readonly secretAccessKey: string;
  /** S3 signs the path as sent; every other service encodes each path segment once more. */
  readonly doubleEncodePath: boolean;
}

/** True when `header.signature` is the signature of `request` with the given secret. */
export function verifySignature(
  request: ReceivedRequest,
  header: SignatureHeader,
  options: SigningOptions,
): boolean {
  const amzDate = headerValue(request.rawHeaders, 'x-amz-date');
  if (!amzDate) return false;
  const expected = computeSignature(request, header, options, amzDate);
  const a = Buffer.from(expected);
  const b = Buffer.from(header.signature);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function computeSignature(
  request: ReceivedRequest,
  header: SignatureHeader,
  options: SigningOptions,
  amzDate: string,
): string {
  const toSign = stringToSign(request, header, options.doubleEncodePath, amzDate);
  let key: Buffer = hmac(`AWS4${options.secretAccessKey}`, header.date);
  key = hmac(key, header.region);
  key = hmac(key, header.service);
  key = hmac(key, 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

/** SigV4's string to sign; the SSM agent signs this with its RSA key instead of an HMAC. */
export function stringToSign(
  request: ReceivedRequest,
  header: SignatureHeader,
  doubleEncodePath: boolean,
  amzDate: string,
): string {
  const scope = `${header.date}/${header.region}/${header.service}/aws4_request`;
  const canonical = canonicalRequest(request, header.signedHeaders, doubleEncodePath);
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

export function canonicalRequest(
  request: ReceivedRequest,
  signedHeaders: readonly string[],
  doubleEncodePath: boolean,
): string {
  return [
    request.method,
    canonicalPath(request.rawPath, doubleEncodePath),
    canonicalQuery(request.rawQuery),
    canonicalHeaders(request.rawHeaders, signedHeaders),
    signedHeaders.join(';'),
    request.payloadHash,
  ].join('\n');
}

function canonicalPath(rawPath: string, doubleEncode: boolean): string {
  if (!doubleEncode) return rawPath || '/';
  // Same normalization as the SDK signers: drop empty and '.' segments, resolve '..', then encode
  // the (already percent-encoded) path once more, keeping the slashes.
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  const normalized = `${rawPath.startsWith('/') ? '/' : ''}${segments.join('/')}${trailing}`;
  return encodeURIComponent(normalized).replace(/%2F/g, '/') || '/';
}

function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) return '';
  const pairs = rawQuery
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const index = pair.indexOf('=');
      const name = index === -1 ? pair : pair.slice(0, index);
      const value = index === -1 ? '' : pair.slice(index + 1);
      return [rfc3986(safeDecode(name)), rfc3986(safeDecode(value))] as const;
    })
    .filter(([name]) => name !== 'X-Amz-Signature');
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

function canonicalHeaders(rawHeaders: readonly string[], signedHeaders: readonly string[]): string {
  return signedHeaders
    .map((name) => `${name}:${headerValues(rawHeaders, name).map(normalizeSpaces).join(',')}\n`)
    .join('');
}

function normalizeSpaces(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

function headerValues(rawHeaders: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === name) values.push(rawHeaders[i + 1]!);
  }
  return values;
}

export function headerValue(rawHeaders: readonly string[], name: string): string | undefined {
  return headerValues(rawHeaders, name)[0];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Percent-encodes everything except the RFC 3986 unreserved characters. */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => '%' + char.charCodeAt(0).toString(16).toUpperCase(),
  );
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
