import {
  UserFacingError,
  awsMetadataOf,
  errorCause,
  errorCode,
  errorMessage,
  errorMessageField,
  errorName,
} from '../util/errors';
import type { AwsContext } from './awsContext';
import { awsCallOf } from './awsCallLogger';
import {
  AccessDeniedError,
  AwsRequestError,
  CredentialsExpiredError,
  EndpointUnreachableError,
  InvalidCredentialsError,
  NoCredentialsError,
  NoRegionError,
  ProfileNotFoundError,
  SsoLoginRequiredError,
  ThrottledError,
} from './awsErrors';
import { awsServices } from './services';

const accessDeniedCodes = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'AuthorizationError',
  'UnauthorizedException',
]);
const expiredCodes = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'RequestExpired',
  'TokenRefreshRequired',
]);
const invalidCredentialCodes = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
]);
const throttlingCodes = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'RequestThrottled',
  'RequestThrottledException',
]);
const networkCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'TimeoutError',
]);

const ssoExpiredPattern = /SSO session|sso login|Token is expired|SSO Token|IAM Identity Center/i;
const profileMissingPattern = /Profile ['"]?([^'" ]+)['"]? (was not found|could not be found)/i;
const actionInMessagePattern = /perform: ([\w-]+:[\w-]+)/;

/** A network failure's code (ECONNREFUSED, TimeoutError…) on the error or a few causes down. */
function networkCodeOf(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; current !== undefined && depth < 4; depth++) {
    for (const code of [errorCode(current), errorName(current)]) {
      if (networkCodes.has(code)) return code;
    }
    current = errorCause(current);
  }
  return undefined;
}

function defaultEndpoint(context: AwsContext, service: string): string {
  return `https://${service}.${context.region.value ?? '<region>'}.amazonaws.com`;
}

/**
 * Turns whatever the SDK threw into an error a person can act on. The original error stays as
 * `cause` so the log keeps the details.
 */
export function translateAwsError(error: unknown, context: AwsContext): UserFacingError {
  if (error instanceof UserFacingError) {
    return error;
  }
  const metadata = awsMetadataOf(error);
  const call = awsCallOf(error);
  const name = errorName(error);
  const message = errorMessageField(error) || errorMessage(error);
  const action = call
    ? `${awsServices[call.service].iamPrefix}:${call.operation}`
    : (actionInMessagePattern.exec(message)?.[1] ?? 'the AWS request');

  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    const missing = profileMissingPattern.exec(message);
    if (missing) {
      return new ProfileNotFoundError(missing[1], context.profile.origin, context.surface);
    }
    if (ssoExpiredPattern.test(message)) {
      return new SsoLoginRequiredError(context, error);
    }
    return new NoCredentialsError(context, error);
  }
  if (message === 'Region is missing') {
    return new NoRegionError(context.surface);
  }
  if (expiredCodes.has(name)) {
    return new CredentialsExpiredError(context, error);
  }
  if (invalidCredentialCodes.has(name)) {
    return new InvalidCredentialsError(context, name, message, error);
  }
  if (accessDeniedCodes.has(name) || metadata.httpStatusCode === 403) {
    return new AccessDeniedError(actionInMessagePattern.exec(message)?.[1] ?? action, message, error);
  }
  if (throttlingCodes.has(name)) {
    return new ThrottledError(action, call?.attempts ?? metadata.attempts ?? 1, error);
  }
  const network = networkCodeOf(error);
  if (network) {
    const endpoint = call?.endpoint ?? defaultEndpoint(context, call?.service ?? 'service');
    const origin = call?.endpointOrigin ?? 'AWS default endpoint';
    return new EndpointUnreachableError(endpoint, origin, network, error);
  }
  return new AwsRequestError(action, name || 'Error', message, call?.requestId ?? metadata.requestId, error);
}
