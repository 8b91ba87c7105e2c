/**
 * Our Session Manager client (replaces AWS's session-manager-plugin for Port sessions).
 *
 *   const session = await openSession({ sessionId, streamUrl, tokenValue, resume, terminate, log });
 *   await runStdioProxy(session, process.stdin, process.stdout);        // ssh ProxyCommand
 *   const forward = await startPortForward(session, { localPort: 0 });   // local TCP forwarding
 *
 * The protocol notes are in /work/shared/docs/ssm-protocol.md; the CLI is src/cli/sm-ssh.ts.
 */
export { openSession, SsmSession } from './ssm-session';
export type { ReceiverState, SessionEnd, SessionReceiver, SessionTimings } from './ssm-session';
export { defaultSessionTuning } from './session-options';
export type { OpenSessionOptions, ResumedSession, SessionKind, SessionTuning } from './session-options';
export { runStdioProxy } from './stdio-proxy';
export type { StdioProxyOptions } from './stdio-proxy';
export { startPortForward } from './port-forward';
export type { PortForward, PortForwardOptions } from './port-forward';
export { LocalPortUnavailableError } from './local-listener';
export { NotAShellSessionError, ShellChannel } from './shellChannel';
export type { ShellEnd, ShellOutput, TerminalSize } from './shellChannel';
export { runPipedShell } from './pipedShell';
export type { PipedShellResult } from './pipedShell';
export { endOnService, openShellOnSession, startShellSession } from './shellSessionStart';
export type { ShellSessionApi, StartedSession } from './shellSessionStart';
export type { SessionMode } from './session-mode';
export type { PortSessionProperties } from './port-session-properties';
export type { UpgradeSigner } from './upgrade-signer';
export { isPresignedStreamUrl } from './upgrade-signer';
export { createSigV4UpgradeSigner } from './sigv4-upgrade-signer';
export {
  ConnectionLostError,
  DataChannelRejectedError,
  HandshakeRefusedError,
  HandshakeTimeoutError,
  RetransmissionTimeoutError,
  SessionClosedByServiceError,
  SessionTimedOutError,
  SsmSessionError,
} from './session-errors';
export { CLIENT_VERSION } from './version';
