import { UserFacingError } from '../util/errors';
import type { AdviceSurface, AwsContext } from './awsContext';

const selectProfile = { title: 'Select Profile', command: 'sagemakerSsh.selectProfile' } as const;
export const selectRegion = { title: 'Select Region', command: 'sagemakerSsh.selectRegion' } as const;
const showLog = { title: 'Show Log', command: 'sagemakerSsh.showLog' } as const;

function profileFlag(profile: string | undefined): string {
  return profile ? ` --profile ${profile}` : '';
}

type AdviceKey =
  | 'profileOrigin'
  | 'regionOrigin'
  | 'chooseRegion'
  | 'chooseOtherRegion'
  | 'chooseProfile'
  | 'chooseProfileWithCredentials';

/**
 * The one place that says how to choose a region or profile, per surface: VS Code's commands and
 * settings, or the sm-ssh flags. Error texts, and the origin of a profile or region the user chose
 * there, take their wording from here.
 */
export const surfaceAdvice: Readonly<Record<AdviceSurface, Readonly<Record<AdviceKey, string>>>> = {
  extension: {
    profileOrigin: 'sagemakerSsh.profile',
    regionOrigin: 'sagemakerSsh.region',
    chooseRegion: 'Run "SageMaker SSH: Select Region", set the sagemakerSsh.region setting, set AWS_REGION',
    chooseOtherRegion: 'select that region (SageMaker SSH: Select AWS Region…)',
    chooseProfile: 'Run "SageMaker SSH: Select Profile" to pick one',
    chooseProfileWithCredentials:
      'Run "SageMaker SSH: Select Profile" to pick a profile that has credentials',
  },
  cli: {
    profileOrigin: '--profile',
    regionOrigin: '--region',
    chooseRegion: 'Pass --region <region> (for example --region us-east-1), set AWS_REGION',
    chooseOtherRegion: 'pass --region <that region>',
    chooseProfile: 'Pass --profile <name> (or set AWS_PROFILE) to use another one',
    chooseProfileWithCredentials:
      'Pass --profile <name> (or set AWS_PROFILE) for a profile that has credentials',
  },
};

export function advice(surface: AdviceSurface | undefined, key: AdviceKey): string {
  return surfaceAdvice[surface ?? 'extension'][key];
}

/** VS Code buttons only make sense in VS Code. */
export function actionsFor<T>(surface: AdviceSurface | undefined, actions: readonly T[]): T[] {
  return surface === 'cli' ? [] : [...actions];
}

export class NoRegionError extends UserFacingError {
  readonly code = 'NoRegion';
  constructor(surface?: AdviceSurface) {
    super(
      `No AWS region is configured. ${advice(surface, 'chooseRegion')}, or add "region = …" to your profile ` +
        'in ~/.aws/config.',
      { actions: actionsFor(surface, [selectRegion]) },
    );
  }
}

export class ProfileNotFoundError extends UserFacingError {
  readonly code = 'ProfileNotFound';
  constructor(
    readonly profile: string,
    origin: string,
    surface?: AdviceSurface,
  ) {
    super(
      `The AWS profile "${profile}" (from ${origin}) is not in ~/.aws/config or ~/.aws/credentials. ` +
        `${advice(surface, 'chooseProfile')}, or create it with: aws configure${profileFlag(profile)}`,
      { actions: actionsFor(surface, [selectProfile]) },
    );
  }
}

export class NoCredentialsError extends UserFacingError {
  readonly code = 'NoCredentials';
  constructor(context: AwsContext, cause: unknown) {
    const profile = context.profile.value;
    const where = profile ? `for profile "${profile}"` : 'in the environment or the default profile';
    super(
      `No AWS credentials were found ${where}. ${advice(context.surface, 'chooseProfileWithCredentials')}, ` +
        `or configure one with: aws configure${profileFlag(profile)}` +
        ` (for IAM Identity Center: aws configure sso${profileFlag(profile)}).`,
      { cause, actions: actionsFor(context.surface, [selectProfile]) },
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
