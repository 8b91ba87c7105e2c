import { UserFacingError } from '../util/errors';

/** Base of the errors a Session Manager session can end with; `exitCode` is what the CLI returns. */
export abstract class SsmSessionError extends UserFacingError {
  abstract readonly exitCode: number;
}

export class HandshakeRefusedError extends SsmSessionError {
  readonly code = 'HandshakeRefused';
  readonly exitCode = 6;
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
  readonly exitCode = 6;
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
  readonly exitCode = 5;
  constructor(readonly sessionId: string) {
    super(
      `Session ${sessionId} timed out: the service no longer resumes it. Start a new session ` +
        '(the idle timeout is set in Session Manager preferences).',
    );
  }
}

export class DataChannelRejectedError extends SsmSessionError {
  readonly code = 'DataChannelRejected';
  readonly exitCode = 4;
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
  readonly exitCode = 7;
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
  readonly exitCode = 7;
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
  readonly exitCode = 8;
  constructor(
    readonly sessionId: string,
    readonly output: string,
  ) {
    super(`Session ${sessionId} was closed by the service: ${output}`);
  }
}
