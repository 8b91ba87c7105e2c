/** Exit statuses of `sm-ssh ssm-proxy` / `ssm-forward`, stable for scripts. */
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
