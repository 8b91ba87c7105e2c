import { UserFacingError } from '../util/errors';

/** Where an error's advice points: the tree's command or the CLI's. */
export type SpaceAdviceSurface = 'extension' | 'cli';

function startAdvice(alias: string, surface: SpaceAdviceSurface): string {
  return surface === 'cli' ? `sm-ssh space start ${alias}` : 'Start Space on the space in the Studio view';
}

export class SpaceNotFoundError extends UserFacingError {
  readonly code = 'SpaceNotFound';
  constructor(spaceArn: string) {
    super(`Studio space ${spaceArn} does not exist. Check the space name, domain id and region.`);
  }
}

export class SpaceRemoteAccessDisabledError extends UserFacingError {
  readonly code = 'SpaceRemoteAccessDisabled';
  constructor(spaceName: string, alias: string, surface: SpaceAdviceSurface) {
    super(
      `Remote access is not enabled for Studio space "${spaceName}". Start it with remote access: ` +
        `${startAdvice(alias, surface)} (it sets SpaceSettings.RemoteAccess to ENABLED and starts the app).`,
    );
  }
}

export class SpaceNotRunningError extends UserFacingError {
  readonly code = 'SpaceNotRunning';
  constructor(spaceName: string, alias: string, surface: SpaceAdviceSurface, appStatus?: string) {
    super(
      `Studio space "${spaceName}" is not running${appStatus ? ` (its app is ${appStatus})` : ''}. ` +
        `Start it first: ${startAdvice(alias, surface)}.`,
    );
  }
}

export class SpaceSessionDeniedError extends UserFacingError {
  readonly code = 'SpaceSessionDenied';
  constructor(spaceArn: string, awsMessage: string) {
    super(
      `AWS denied sagemaker:StartSession on ${spaceArn}: ${awsMessage}. Ask your administrator to allow ` +
        `the IAM action sagemaker:StartSession on that space ARN (see the README, "Studio spaces with remote access").`,
    );
  }
}

export class SpaceSessionLimitError extends UserFacingError {
  readonly code = 'SpaceSessionLimit';
  constructor(spaceName: string) {
    super(
      `Studio space "${spaceName}" has the most remote connections SageMaker allows (10). ` +
        'Close another connection to it (a Remote-SSH window or an ssh) and try again.',
    );
  }
}

export class SpaceInstanceTypeUnsupportedError extends UserFacingError {
  readonly code = 'SpaceInstanceTypeUnsupported';
  constructor(
    readonly spaceName: string,
    readonly instanceType: string,
    surface: SpaceAdviceSurface,
  ) {
    super(
      `Studio space "${spaceName}" would start on ${instanceType}, which does not support remote access ` +
        '(AWS lists ml.t3.medium, ml.c7i.large, ml.c6i.large, ml.c6id.large and ml.c5.large; it needs at least ' +
        '8 GiB of memory). ' +
        (surface === 'cli'
          ? 'Pass another one, e.g. --instance-type ml.m5.large.'
          : 'Choose another instance type when Start Space asks, e.g. ml.m5.large.'),
    );
  }
}

export class SpaceRequestRejectedError extends UserFacingError {
  readonly code = 'SpaceRequestRejected';
  constructor(what: string, spaceName: string, awsMessage: string) {
    super(`SageMaker refused to ${what} Studio space "${spaceName}": ${awsMessage}`);
  }
}

export class SpaceAppFailedError extends UserFacingError {
  readonly code = 'SpaceAppFailed';
  constructor(spaceName: string, reason: string | undefined) {
    super(
      `The app of Studio space "${spaceName}" failed to start${reason ? `: ${reason}` : ''}. ` +
        'Check the space in the SageMaker console, then Start Space again.',
    );
  }
}

export class SpaceWaitCancelledError extends UserFacingError {
  readonly code = 'Cancelled';
  constructor(what: string, spaceName: string) {
    super(
      `Stopped waiting for Studio space "${spaceName}" to ${what}; SageMaker carries on (see its status in the tree).`,
    );
  }
}

/** What works on payload containers only (Forward Port, Stop Waiting, cp, logs) asked of a space. */
export class SpaceOperationUnsupportedError extends UserFacingError {
  readonly code = 'SpaceOperationUnsupported';
  constructor(spaceName: string) {
    super(
      `Studio space "${spaceName}" is reached through sagemaker:StartSession and its own sshd, not our ` +
        'payload: use Connect or Open Terminal (sm-ssh connect / shell / start-proxy, or ssh -L <port> ' +
        'for a port). Forward Port, Stop Waiting, cp and logs work on containers that run the payload.',
    );
  }
}
