import { parseAuthorization, verifySignature, type ReceivedRequest } from './sigv4';
import type { Identity, IdentityStore } from './identities';

/** Why a request could not be authenticated; each protocol words these as its service does. */
export type AuthFailureKind =
  | 'missing'
  | 'malformed'
  | 'unknownAccessKey'
  | 'invalidSessionToken'
  | 'expired'
  | 'wrongRegion'
  | 'badSignature';

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
}

export interface AuthenticationPolicy {
  readonly identities: IdentityStore;
  readonly region: string;
  readonly verifySignatures: boolean;
  /** S3 buckets may live in any region; the other services answer only for the scenario region. */
  readonly enforceRegion: boolean;
}

/**
 * Resolves the calling identity from a SigV4-signed request, or returns undefined for an unsigned
 * request (the caller decides whether the operation allows that). Throws AuthFailure otherwise.
 */
export function authenticate(input: AuthenticationInput, policy: AuthenticationPolicy): Identity | undefined {
  if (!input.authorization) return undefined;
  const header = parseAuthorization(input.authorization);
  if (typeof header === 'string') throw new AuthFailure('malformed', header);
  const identity = policy.identities.byAccessKeyId(header.accessKeyId);
  if (!identity) throw new AuthFailure('unknownAccessKey', `Unknown access key ${header.accessKeyId}`);
  if ((input.securityToken ?? undefined) !== identity.sessionToken) {
    throw new AuthFailure('invalidSessionToken', `Session token does not match identity ${identity.name}`);
  }
  if (identity.expired) throw new AuthFailure('expired', `Credentials of ${identity.name} are expired`);
  if (policy.enforceRegion && !regionAccepted(header.region, input.service, policy.region)) {
    throw new AuthFailure('wrongRegion', `Signed for ${header.region}, emulator region is ${policy.region}`);
  }
  if (!header.signedHeaders.includes('host')) {
    throw new AuthFailure('malformed', "SignedHeaders must include 'host'");
  }
  const doubleEncodePath = input.service !== 's3';
  if (
    policy.verifySignatures &&
    !verifySignature(input.request, header, { secretAccessKey: identity.secretAccessKey, doubleEncodePath })
  ) {
    throw new AuthFailure('badSignature', 'Signature mismatch');
  }
  return identity;
}

/** STS's global endpoint signs with us-east-1, so STS also accepts that region. */
function regionAccepted(region: string, service: string, expected: string): boolean {
  return region === expected || (service === 'sts' && region === 'us-east-1');
}
