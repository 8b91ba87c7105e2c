import { UserFacingError } from '../util/errors';
import type { ErrorAction } from '../util/errors';

/** The Session Manager document every forward uses; IAM must allow ssm:StartSession on it. */
export const PORT_FORWARDING_DOCUMENT = 'AWS-StartPortForwardingSession';

export class InvalidPortError extends UserFacingError {
  readonly code = 'InvalidPort';
  constructor(
    readonly value: string,
    what: string,
  ) {
    super(`The ${what} "${value}" is not a port: give a whole number from 1 to 65535.`);
  }
}

export class LocalPortInUseError extends UserFacingError {
  readonly code = 'LocalPortInUse';
  constructor(
    readonly port: number,
    /** A port that was free when this error was made, to offer instead. */
    readonly suggestion: number | undefined,
    cause?: unknown,
    /** E.g. "Use port 50123" in VS Code. */
    actions?: readonly ErrorAction[],
  ) {
    super(
      `Local port ${port} on 127.0.0.1 is already in use by another program. ` +
        (suggestion
          ? `Use another local port, e.g. ${suggestion} (free now), or stop the program using ${port}.`
          : `Use another local port, or stop the program using ${port}.`),
      { cause, actions },
    );
  }
}

export class PortForwardDeniedError extends UserFacingError {
  readonly code = 'PortForwardDenied';
  constructor(
    readonly instanceId: string,
    awsMessage: string,
    cause?: unknown,
  ) {
    super(
      `Your IAM identity may not start a port forwarding session on ${instanceId}. Ask your AWS administrator ` +
        `to allow "ssm:StartSession" on the managed instance (arn:aws:ssm:*:*:managed-instance/${instanceId}) and on ` +
        `the document arn:aws:ssm:*:*:document/${PORT_FORWARDING_DOCUMENT}, and "ssm:TerminateSession" on your ` +
        `sessions. AWS said: ${awsMessage}`,
      { cause, actions: [{ title: 'Show Log', command: 'sagemakerSsh.showLog' }] },
    );
  }
}

export class NothingListensError extends UserFacingError {
  readonly code = 'NothingListens';
  constructor(
    readonly remotePort: number,
    readonly where: string,
  ) {
    super(
      `Nothing listens on port ${remotePort} in ${where}: the SSM agent there could not connect to it. Start the ` +
        `server in the container (bound to localhost or 0.0.0.0, port ${remotePort}), or forward another port.`,
    );
  }
}
