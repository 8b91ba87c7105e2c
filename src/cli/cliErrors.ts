import { SsmSessionError } from '../ssm/sessionErrors';
import { ExitCode } from './exitCodes';

export class UsageError extends SsmSessionError {
  readonly code = 'Usage';
  readonly exitCode = ExitCode.Usage;
  constructor(detail: string) {
    super(`${detail} Run "sm-ssh --help" for the usage.`);
  }
}

export class TargetNotConnectedError extends SsmSessionError {
  readonly code = 'TargetNotConnected';
  readonly exitCode = ExitCode.TargetNotConnected;
  constructor(
    readonly target: string,
    cause?: unknown,
  ) {
    super(
      `${target} is not connected to Systems Manager: its SSM agent is offline, not registered, or the job has ` +
        'ended. Check that the target is running and that its agent is Online (aws ssm describe-instance-information), then retry.',
      { cause },
    );
  }
}

export class InvalidSessionRequestError extends SsmSessionError {
  readonly code = 'InvalidSessionRequest';
  readonly exitCode = ExitCode.InvalidRequest;
  constructor(awsCode: string, awsMessage: string, cause?: unknown) {
    super(
      `StartSession rejected the request (${awsCode}): ${awsMessage} Check --document and the port/host arguments.`,
      {
        cause,
      },
    );
  }
}

export class ResumeDeniedError extends SsmSessionError {
  readonly code = 'ResumeDenied';
  readonly exitCode = ExitCode.AccessDenied;
  constructor(
    readonly sessionId: string,
    awsMessage: string,
    cause?: unknown,
  ) {
    super(
      `Reconnecting session ${sessionId} needs ssm:ResumeSession, which your identity may not call (${awsMessage}). ` +
        'Ask your administrator to allow ssm:ResumeSession on your sessions.',
      { cause },
    );
  }
}

export class PluginNotInstalledError extends SsmSessionError {
  readonly code = 'PluginNotInstalled';
  readonly exitCode = ExitCode.Failure;
  constructor(command: string) {
    super(
      `--use-plugin was given but "${command}" was not found. Install AWS's Session Manager plugin ` +
        '(https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html) ' +
        'or drop --use-plugin to use the built-in client.',
    );
  }
}
