import { UserFacingError, errorMessage } from '../util/errors';
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

interface ErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string; attempts?: number };
  readonly cause?: unknown;
}

function shapeOf(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : { message: String(error) };
}

function networkCodeOf(error: ErrorShape): string | undefined {
  for (let current: ErrorShape | undefined = error, depth = 0; current && depth < 4; depth++) {
    if (current.code && networkCodes.has(current.code)) {
      return current.code;
    }
    if (current.name && networkCodes.has(current.name)) {
      return current.name;
    }
    current = current.cause === undefined ? undefined : shapeOf(current.cause);
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
  const shape = shapeOf(error);
  const call = awsCallOf(error);
  const name = shape.name ?? '';
  const message = shape.message ?? errorMessage(error);
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
  if (accessDeniedCodes.has(name) || shape.$metadata?.httpStatusCode === 403) {
    return new AccessDeniedError(actionInMessagePattern.exec(message)?.[1] ?? action, message, error);
  }
  if (throttlingCodes.has(name)) {
    return new ThrottledError(action, call?.attempts ?? shape.$metadata?.attempts ?? 1, error);
  }
  const network = networkCodeOf(shape);
  if (network) {
    const endpoint = call?.endpoint ?? defaultEndpoint(context, call?.service ?? 'service');
    const origin = call?.endpointOrigin ?? 'AWS default endpoint';
    return new EndpointUnreachableError(endpoint, origin, network, error);
  }
  return new AwsRequestError(
    action,
    name || 'Error',
    message,
    call?.requestId ?? shape.$metadata?.requestId,
    error,
  );
}
