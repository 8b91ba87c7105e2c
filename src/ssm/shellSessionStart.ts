import type { Logger } from '../util/logger';
import type { SessionEnd, SsmSession } from './ssmSession';
import { openSession } from './ssmSession';
import type { ResumedSession, SessionTuning } from './sessionOptions';

/** What StartSession (ssm or sagemaker) returned for a session. */
export interface StartedSession {
  readonly SessionId: string;
  readonly StreamUrl: string;
  readonly TokenValue: string;
}

/** The Session Manager calls a shell needs; `SsmApi` (src/ssm/ssmApi.ts) is one. */
export interface ShellSessionApi {
  startSession(request: { Target: string }): Promise<StartedSession>;
  resumeSession(sessionId: string): Promise<ResumedSession>;
  terminateSession(sessionId: string): Promise<void>;
}

export interface ShellSessionOptions {
  readonly log?: Logger;
  readonly tuning?: Partial<SessionTuning>;
}

/**
 * Opens the data channel of a started shell session (ssm:StartSession without a DocumentName, or
 * a `sagemaker:StartSession` result) and resolves once the agent's shell has spoken.
 * `terminate` is called when we end the session, `resume` when the connection drops.
 */
export function openShellOnSession(
  started: StartedSession,
  calls: { resume?: () => Promise<ResumedSession>; terminate?: () => Promise<void> },
  options: ShellSessionOptions = {},
): Promise<SsmSession> {
  return openSession({
    sessionId: started.SessionId,
    streamUrl: started.StreamUrl,
    tokenValue: started.TokenValue,
    kind: 'shell',
    resume: calls.resume,
    terminate: calls.terminate,
    log: options.log,
    tuning: options.tuning,
  });
}

/**
 * StartSession on any SSM target (`mi-…`, `sagemaker-training-job:<job>_algo-<N>`,
 * `sagemaker-cluster:…`) with the default shell document, then its data channel. A session whose
 * channel cannot be opened is terminated on the service, not left to time out.
 */
export async function startShellSession(
  api: ShellSessionApi,
  target: string,
  options: ShellSessionOptions = {},
): Promise<SsmSession> {
  const started = await api.startSession({ Target: target });
  const id = started.SessionId;
  try {
    return await openShellOnSession(
      started,
      { resume: () => api.resumeSession(id), terminate: () => api.terminateSession(id) },
      options,
    );
  } catch (error) {
    await api.terminateSession(id).catch(() => undefined);
    throw error;
  }
}

/**
 * After the shell exited (channel_closed), makes sure the service has ended the session too:
 * TerminateSession is idempotent, and a session the service kept open would count against the
 * account until its idle timeout.
 */
export async function endOnService(api: ShellSessionApi, sessionId: string, end: SessionEnd): Promise<void> {
  if (end.kind === 'closed-locally') return;
  await api.terminateSession(sessionId).catch(() => undefined);
}
