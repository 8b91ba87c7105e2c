import { parseAuthorization, type SignatureHeader } from './sigv4';

/** At most a week, as S3 allows. */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;

/** The query-string (presigned URL) form of SigV4, parsed. */
export interface PresignedQuery {
  readonly header: SignatureHeader;
  readonly amzDate: string;
  readonly signedAt: Date;
  readonly expiresSeconds: number;
  readonly securityToken?: string;
  readonly payloadHash: string;
}

const REQUIRED = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Expires',
] as const;

/** True when the query carries query-string authentication (a presigned URL). */
export function isPresigned(query: URLSearchParams): boolean {
  return query.has('X-Amz-Algorithm') || query.has('X-Amz-Credential') || query.has('X-Amz-Signature');
}

/** The service named in X-Amz-Credential's scope, if any. */
export function presignedService(rawQuery: string): string | undefined {
  return new URLSearchParams(rawQuery).get('X-Amz-Credential')?.split('/')[3];
}

/** Parses X-Amz-* query parameters; returns S3's wording of what is wrong when they are malformed. */
export function parsePresigned(query: URLSearchParams): PresignedQuery | string {
  if (REQUIRED.some((name) => !query.get(name))) {
    return `Query-string authentication version 4 requires the ${REQUIRED.slice(0, -1).join(', ')}, and X-Amz-Expires parameters.`;
  }
  const header = parseAuthorization(
    `${query.get('X-Amz-Algorithm')} Credential=${query.get('X-Amz-Credential')}, SignedHeaders=${query.get('X-Amz-SignedHeaders')}, Signature=${query.get('X-Amz-Signature')}`,
  );
  if (typeof header === 'string') return header.replace('Authorization header', 'X-Amz-Algorithm');
  const amzDate = query.get('X-Amz-Date')!;
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!match) return `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const expires = query.get('X-Amz-Expires')!;
  const expiresSeconds = Number(expires);
  if (!/^\d+$/.test(expires) || expiresSeconds < 1) return 'X-Amz-Expires must be non-negative';
  if (expiresSeconds > MAX_PRESIGNED_EXPIRES_SECONDS) {
    return `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_EXPIRES_SECONDS}`;
  }
  return {
    header,
    amzDate,
    signedAt: new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!)),
    expiresSeconds,
    securityToken: query.get('X-Amz-Security-Token') ?? undefined,
    payloadHash: query.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
  };
}
