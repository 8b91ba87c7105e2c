import { UserFacingError } from '../util/errors';
import type { Logger } from '../util/logger';
import { SsmSessionError } from '../ssm/sessionErrors';
import type { SessionEnd } from '../ssm/ssmSession';
import type { ExitCodeValue } from './exitCodes';
import { ExitCode } from './exitCodes';

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
      return end.error.exitCode as ExitCodeValue;
  }
}

const ACCESS_DENIED_CODES = new Set(['AccessDenied', 'PortForwardDenied']);

/** Exit status for an error thrown before or around a session. */
export function exitCodeOfError(error: unknown): ExitCodeValue {
  if (error instanceof SsmSessionError) return error.exitCode as ExitCodeValue;
  if (error instanceof UserFacingError && ACCESS_DENIED_CODES.has(error.code)) return ExitCode.AccessDenied;
  return ExitCode.Failure;
}
