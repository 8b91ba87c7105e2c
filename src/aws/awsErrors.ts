import { UserFacingError } from '../util/errors';
import type { AwsContext } from './awsContext';

const selectProfile = { title: 'Select Profile', command: 'sagemakerSsh.selectProfile' } as const;
const selectRegion = { title: 'Select Region', command: 'sagemakerSsh.selectRegion' } as const;
const showLog = { title: 'Show Log', command: 'sagemakerSsh.showLog' } as const;

function profileFlag(profile: string | undefined): string {
  return profile ? ` --profile ${profile}` : '';
}

export class NoRegionError extends UserFacingError {
  readonly code = 'NoRegion';
  constructor() {
    super(
      'No AWS region is configured. Run "SageMaker SSH: Select Region", set the sagemakerSsh.region setting, ' +
        'set AWS_REGION, or add "region = …" to your profile in ~/.aws/config.',
      { actions: [selectRegion] },
    );
  }
}

export class ProfileNotFoundError extends UserFacingError {
  readonly code = 'ProfileNotFound';
  constructor(
    readonly profile: string,
    origin: string,
  ) {
    super(
      `The AWS profile "${profile}" (from ${origin}) is not in ~/.aws/config or ~/.aws/credentials. ` +
        `Run "SageMaker SSH: Select Profile" to pick one, or create it with: aws configure${profileFlag(profile)}`,
      { actions: [selectProfile] },
    );
  }
}

export class NoCredentialsError extends UserFacingError {
  readonly code = 'NoCredentials';
  constructor(context: AwsContext, cause: unknown) {
    const profile = context.profile.value;
    const where = profile ? `for profile "${profile}"` : 'in the environment or the default profile';
    super(
      `No AWS credentials were found ${where}. Run "SageMaker SSH: Select Profile" to pick a profile that has ` +
        `credentials, or configure one with: aws configure${profileFlag(profile)}` +
        ` (for IAM Identity Center: aws configure sso${profileFlag(profile)}).`,
      { cause, actions: [selectProfile] },
    );
  }
}

export class SsoLoginRequiredError extends UserFacingError {
  readonly code = 'SsoLoginRequired';
  readonly loginCommand: string;
  constructor(context: AwsContext, cause: unknown) {
    const command = `aws sso login${profileFlag(context.profile.value)}`;
    super(
      `Your IAM Identity Center (SSO) session has expired or was never started. Run: ${command}, then retry.`,
      { cause, actions: [{ title: 'Retry', command: 'sagemakerSsh.refresh' }] },
    );
    this.loginCommand = command;
  }
}

export class CredentialsExpiredError extends UserFacingError {
  readonly code = 'CredentialsExpired';
  constructor(context: AwsContext, cause: unknown) {
    const profile = context.profile.value;
    super(
      `The AWS credentials${profile ? ` of profile "${profile}"` : ''} have expired. Refresh them ` +
        `(for IAM Identity Center: aws sso login${profileFlag(profile)}; for temporary keys in the environment: ` +
        'export new ones) and retry.',
      { cause, actions: [selectProfile] },
    );
  }
}

export class AccessDeniedError extends UserFacingError {
  readonly code = 'AccessDenied';
  constructor(
    readonly action: string,
    awsMessage: string,
    cause: unknown,
  ) {
    super(
      `Your IAM identity is not allowed to call ${action}. Ask your AWS administrator to allow "${action}" ` +
        `for your role (the README lists the IAM policy this extension needs). AWS said: ${awsMessage}`,
      { cause, actions: [showLog] },
    );
  }
}

export class EndpointUnreachableError extends UserFacingError {
  readonly code = 'EndpointUnreachable';
  constructor(
    readonly endpoint: string,
    origin: string,
    reason: string,
    cause: unknown,
  ) {
    super(
      `Cannot reach the AWS endpoint ${endpoint} (${origin}): ${reason}. Check your network, VPN or proxy; ` +
        'if you use a VPC or custom endpoint, check AWS_ENDPOINT_URL / endpoint_url in your profile.',
      { cause, actions: [showLog] },
    );
  }
}

export class ThrottledError extends UserFacingError {
  readonly code = 'Throttled';
  constructor(
    readonly action: string,
    attempts: number,
    cause: unknown,
  ) {
    super(
      `AWS is throttling ${action} (still rate-limited after ${attempts} attempts). Wait a minute and retry; if ` +
        'it persists, other tools in this account may be using the same API quota.',
      { cause, actions: [{ title: 'Retry', command: 'sagemakerSsh.refresh' }] },
    );
  }
}

export class AwsRequestError extends UserFacingError {
  readonly code: string;
  constructor(
    readonly action: string,
    readonly awsCode: string,
    awsMessage: string,
    requestId: string | undefined,
    cause: unknown,
  ) {
    super(`${action} failed: ${awsCode}: ${awsMessage}${requestId ? ` (request id ${requestId})` : ''}`, {
      cause,
      actions: [showLog],
    });
    this.code = awsCode;
  }
}

export class InvalidCredentialsError extends UserFacingError {
  readonly code = 'InvalidCredentials';
  constructor(context: AwsContext, awsCode: string, awsMessage: string, cause: unknown) {
    const profile = context.profile.value;
    super(
      `AWS rejected the credentials${profile ? ` of profile "${profile}"` : ''} (${awsCode}: ${awsMessage}). ` +
        `Check the access key, or refresh the session (aws sso login${profileFlag(profile)}) and retry.`,
      { cause, actions: [selectProfile] },
    );
  }
}
