import { UserFacingError } from '../util/errors';

/** Base of the errors a Session Manager session can end with (the CLI maps each `code` to its exit status). */
export abstract class SsmSessionError extends UserFacingError {}

export class HandshakeRefusedError extends SsmSessionError {
  readonly code = 'HandshakeRefused';
  constructor(
    readonly sessionId: string,
    readonly reasons: readonly string[],
    expected: 'port' | 'shell' = 'port',
  ) {
    super(
      `Session ${sessionId} asked for something this client cannot do: ${reasons.join(' ')} ` +
        (expected === 'port'
          ? 'Use a port-type document (AWS-StartSSHSession or AWS-StartPortForwardingSession*), or pass --use-plugin.'
          : 'Start the shell without a document (SSM-SessionManagerRunShell), with no KMS encryption in the Session Manager preferences.'),
    );
  }
}

export class HandshakeTimeoutError extends SsmSessionError {
  readonly code = 'HandshakeTimeout';
  constructor(
    readonly sessionId: string,
    seconds: number,
  ) {
    super(
      `The SSM agent did not complete the handshake for session ${sessionId} within ${seconds} s. ` +
        'Check that the agent on the target is running and up to date, then retry.',
    );
  }
}

export class SessionTimedOutError extends SsmSessionError {
  readonly code = 'SessionTimedOut';
  constructor(readonly sessionId: string) {
    super(
      `Session ${sessionId} timed out: the service no longer resumes it. Start a new session ` +
        '(the idle timeout is set in Session Manager preferences).',
    );
  }
}

export class DataChannelRejectedError extends SsmSessionError {
  readonly code = 'DataChannelRejected';
  constructor(
    readonly sessionId: string,
    readonly httpStatus: number,
  ) {
    super(
      `The Session Manager service refused the data channel of session ${sessionId} (HTTP ${httpStatus}). ` +
        'The session token may have expired or your credentials may lack ssmmessages permissions; start a new session.',
    );
  }
}

export class ConnectionLostError extends SsmSessionError {
  readonly code = 'ConnectionLost';
  constructor(
    readonly sessionId: string,
    detail: string,
    cause?: unknown,
  ) {
    super(
      `Lost the connection to the Session Manager service for session ${sessionId} and could not resume it: ` +
        `${detail}. Check your network and retry.`,
      { cause },
    );
  }
}

export class RetransmissionTimeoutError extends SsmSessionError {
  readonly code = 'RetransmissionTimeout';
  constructor(
    readonly sessionId: string,
    seconds: number,
  ) {
    super(
      `The SSM agent has not acknowledged data of session ${sessionId} for ${seconds} s; giving up. ` +
        'The target may be overloaded or unreachable; retry later.',
    );
  }
}

export class SessionClosedByServiceError extends SsmSessionError {
  readonly code = 'SessionClosedByService';
  constructor(
    readonly sessionId: string,
    readonly output: string,
  ) {
    super(`Session ${sessionId} was closed by the service: ${output}`);
  }
}

export class NotAShellSessionError extends SsmSessionError {
  readonly code = 'NotAShellSession';
  constructor(
    readonly sessionId: string,
    mode: string,
  ) {
    super(
      `Session ${sessionId} is not a shell session (it runs in ${mode} mode). ` +
        'Start it without a DocumentName, or with SSM-SessionManagerRunShell.',
    );
  }
}

export class TargetNotConnectedError extends SsmSessionError {
  readonly code = 'TargetNotConnected';
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

// Errors inside the client: a frame, payload or socket it cannot use. They end a session (as
// ConnectionLost and the like) or are logged; people see the session errors above.

export class SmuxProtocolError extends Error {
  constructor(detail: string) {
    super(`smux protocol error: ${detail}. The port-forwarding session cannot continue; start a new one.`);
    this.name = 'SmuxProtocolError';
  }
}

export class ClientMessageDecodeError extends Error {
  constructor(reason: string) {
    super(`Cannot decode a data-channel message: ${reason}. The peer sent a malformed frame; it is ignored.`);
    this.name = 'ClientMessageDecodeError';
  }
}

export class InvalidMessageIdError extends Error {
  constructor(value: string) {
    super(`"${value}" is not a hyphenated UUID; MessageId values must look like 8-4-4-4-12 hex digits.`);
    this.name = 'InvalidMessageIdError';
  }
}

export class LocalPortUnavailableError extends Error {
  constructor(host: string, port: number, cause: Error) {
    super(
      `Cannot listen on ${host}:${port} (${cause.message}). Choose another --local-port, or 0 for any free port.`,
      { cause },
    );
    this.name = 'LocalPortUnavailableError';
  }
}

export class DataChannelUpgradeError extends Error {
  constructor(
    readonly httpStatus: number | undefined,
    detail: string,
  ) {
    super(`Cannot open the data channel WebSocket: ${detail}`);
    this.name = 'DataChannelUpgradeError';
  }
}

export class PayloadParseError extends Error {
  constructor(what: string, reason: string) {
    super(
      `Cannot parse the ${what} payload: ${reason}. The peer sent something this client does not understand.`,
    );
    this.name = 'PayloadParseError';
  }
}
