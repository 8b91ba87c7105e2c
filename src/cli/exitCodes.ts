import { UserFacingError } from '../util/errors';
import type { Logger } from '../util/logger';
import type { SessionEnd } from '../ssm/ssmSession';

/** Exit statuses of `sm-ssh`, stable for scripts (a command the user stopped exits 128 + the signal). */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  TargetNotConnected: 3,
  AccessDenied: 4,
  SessionTimedOut: 5,
  HandshakeFailed: 6,
  ConnectionLost: 7,
  ClosedWithError: 8,
  InvalidRequest: 9,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The one table from an error's `code` to the exit status; codes not listed exit with Failure. */
const exitCodeOfErrorCode: ReadonlyMap<string, ExitCodeValue> = new Map<string, ExitCodeValue>([
  ['Usage', ExitCode.Usage],
  ['TargetNotConnected', ExitCode.TargetNotConnected],
  ['AccessDenied', ExitCode.AccessDenied],
  ['PortForwardDenied', ExitCode.AccessDenied],
  ['ResumeDenied', ExitCode.AccessDenied],
  ['DataChannelRejected', ExitCode.AccessDenied],
  ['SessionTimedOut', ExitCode.SessionTimedOut],
  ['HandshakeRefused', ExitCode.HandshakeFailed],
  ['HandshakeTimeout', ExitCode.HandshakeFailed],
  ['NotAShellSession', ExitCode.HandshakeFailed],
  ['ConnectionLost', ExitCode.ConnectionLost],
  ['RetransmissionTimeout', ExitCode.ConnectionLost],
  ['SessionClosedByService', ExitCode.ClosedWithError],
  ['InvalidSessionRequest', ExitCode.InvalidRequest],
  ['SpaceSessionDenied', ExitCode.AccessDenied],
  ['SpaceNotRunning', ExitCode.TargetNotConnected],
  ['SpaceRemoteAccessDisabled', ExitCode.TargetNotConnected],
  ['SpaceInstanceTypeUnsupported', ExitCode.InvalidRequest],
]);

/** Exit status for an error thrown before, around or at the end of a session. */
export function exitCodeOfError(error: unknown): ExitCodeValue {
  if (!(error instanceof UserFacingError)) return ExitCode.Failure;
  return exitCodeOfErrorCode.get(error.code) ?? ExitCode.Failure;
}

/** Reports how a session ended (on the logger, i.e. stderr) and picks the exit status. */
export function exitCodeOfSessionEnd(end: SessionEnd, log: Logger): ExitCodeValue {
  switch (end.kind) {
    case 'closed-locally':
      return ExitCode.Ok;
    case 'channel-closed':
      if (!end.isError) return ExitCode.Ok;
      log.error(end.output);
      return ExitCode.ClosedWithError;
    case 'failed':
      log.error(end.error.message);
      return exitCodeOfError(end.error);
  }
}
