import {
  computeSignature,
  parseAuthorization,
  verifySignature,
  type ReceivedRequest,
  type SignatureHeader,
} from './sigv4';
import type { Identity, IdentityStore } from './identities';
import { verifyInstanceSignature, type InstanceKeys } from './instanceKey';
import { isPresigned, parsePresigned } from './presigned';

/** Why a request could not be authenticated; each protocol words these as its service does. */
export type AuthFailureKind =
  | 'missing'
  | 'malformed'
  | 'unknownAccessKey'
  | 'invalidSessionToken'
  | 'expired'
  | 'wrongRegion'
  | 'badSignature'
  /** Presigned URLs: the X-Amz-* query parameters are incomplete or invalid. */
  | 'queryMalformed'
  /** Presigned URLs: X-Amz-Date + X-Amz-Expires is in the past. */
  | 'requestExpired';

export class AuthFailure extends Error {
  constructor(
    readonly kind: AuthFailureKind,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'AuthFailure';
  }
}

export interface AuthenticationInput {
  readonly request: ReceivedRequest;
  readonly authorization?: string;
  readonly securityToken?: string;
  readonly service: string;
  /** The query string, for query-string authentication (presigned URLs) when there is no Authorization header. */
  readonly query?: URLSearchParams;
}

export interface AuthenticationPolicy {
  readonly identities: IdentityStore;
  readonly region: string;
  readonly verifySignatures: boolean;
  /** S3 buckets may live in any region; the other services answer only for the scenario region. */
  readonly enforceRegion: boolean;
  /** The emulator's clock, for presigned URL expiry; default the real time. */
  readonly now?: Date;
  /** Registered public keys of managed instances, for the agent's RSA-signed credential calls. */
  readonly instanceKeys?: InstanceKeys;
}

/**
 * Resolves the calling identity from a SigV4-signed request, or returns undefined for an unsigned
 * request (the caller decides whether the operation allows that). Throws AuthFailure otherwise.
 */
export function authenticate(input: AuthenticationInput, policy: AuthenticationPolicy): Identity | undefined {
  if (!input.authorization) {
    return input.query && isPresigned(input.query)
      ? authenticatePresigned(input, input.query, policy)
      : undefined;
  }
  const header = parseAuthorization(input.authorization);
  if (typeof header === 'string') throw new AuthFailure('malformed', header);
  if (policy.instanceKeys && /^mi-[0-9a-f]{17}$/.test(header.accessKeyId)) {
    return verifyInstanceSignature(input.request, header, policy.instanceKeys, policy.verifySignatures);
  }
  const identity = checkCaller(header, input.securityToken, input.service, policy);
  const doubleEncodePath = input.service !== 's3';
  if (
    policy.verifySignatures &&
    !verifySignature(input.request, header, { secretAccessKey: identity.secretAccessKey, doubleEncodePath })
  ) {
    throw new AuthFailure('badSignature', 'Signature mismatch');
  }
  return identity;
}

/** The checks shared by both SigV4 forms: known key, session token, expiry, region, signed host. */
function checkCaller(
  header: SignatureHeader,
  securityToken: string | undefined,
  service: string,
  policy: AuthenticationPolicy,
): Identity {
  const identity = policy.identities.byAccessKeyId(header.accessKeyId);
  if (!identity) throw new AuthFailure('unknownAccessKey', `Unknown access key ${header.accessKeyId}`);
  if ((securityToken ?? undefined) !== identity.sessionToken) {
    throw new AuthFailure('invalidSessionToken', `Session token does not match identity ${identity.name}`);
  }
  if (identity.expired) throw new AuthFailure('expired', `Credentials of ${identity.name} are expired`);
  if (policy.enforceRegion && !regionAccepted(header.region, service, policy.region)) {
    throw new AuthFailure('wrongRegion', `Signed for ${header.region}, emulator region is ${policy.region}`);
  }
  if (!header.signedHeaders.includes('host')) {
    throw new AuthFailure('malformed', "SignedHeaders must include 'host'");
  }
  return identity;
}

/** Query-string SigV4 (presigned URLs): X-Amz-* parameters, expiry, and the signature over UNSIGNED-PAYLOAD. */
function authenticatePresigned(
  input: AuthenticationInput,
  query: URLSearchParams,
  policy: AuthenticationPolicy,
): Identity {
  const presigned = parsePresigned(query);
  if (typeof presigned === 'string') throw new AuthFailure('queryMalformed', presigned);
  const identity = checkCaller(presigned.header, presigned.securityToken, input.service, policy);
  const expiresAt = presigned.signedAt.getTime() + presigned.expiresSeconds * 1000;
  if ((policy.now ?? new Date()).getTime() > expiresAt) {
    throw new AuthFailure('requestExpired', `Request has expired (at ${new Date(expiresAt).toISOString()})`);
  }
  if (policy.verifySignatures) {
    const request = { ...input.request, payloadHash: presigned.payloadHash };
    const options = { secretAccessKey: identity.secretAccessKey, doubleEncodePath: input.service !== 's3' };
    const expected = computeSignature(request, presigned.header, options, presigned.amzDate);
    if (expected !== presigned.header.signature) throw new AuthFailure('badSignature', 'Signature mismatch');
  }
  return identity;
}

/** STS's global endpoint signs with us-east-1, so STS also accepts that region. */
function regionAccepted(region: string, service: string, expected: string): boolean {
  return region === expected || (service === 'sts' && region === 'us-east-1');
}
