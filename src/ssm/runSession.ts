import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../util/logger';
import { startPortForward } from './portForward';
import type { SessionMode } from './sessionMode';
import type { ResumedSession } from './sessionOptions';
import { STREAMING_READ_COALESCING } from './sessionOptions';
import type { StartSessionRequest, StartSessionResponse } from './ssmApi';
import type { SessionEnd, SsmSession } from './ssmSession';
import { openSession } from './ssmSession';
import { runStdioProxy } from './stdioProxy';
import type { UpgradeSigner } from './upgradeSigner';

/** The Session Manager calls a session makes; `SsmApi` is the real one. */
export interface SessionCalls {
  startSession(request: StartSessionRequest): Promise<StartSessionResponse>;
  resumeSession(sessionId: string): Promise<ResumedSession>;
  terminateSession(sessionId: string): Promise<void>;
}

/** Where a session's bytes go: a pair of streams (a ProxyCommand's stdio), or a local TCP port. */
export type SessionOutlet =
  | { kind: 'stdio'; input: Readable; output: Writable }
  | {
      kind: 'forward';
      /** Undefined or 0: any free port. */
      localPort?: number;
      bindAddress: string;
      /** Told the address once the port listens. */
      announce?: (line: string) => void;
    };

export interface RunSessionOptions {
  /** A session StartSession already opened (the session-manager-plugin contract), or the request to open one. */
  start: { response: StartSessionResponse } | { request: StartSessionRequest };
  /** Called when first needed: a session handed over by the AWS CLI needs the SDK only to resume or end. */
  calls: () => Promise<SessionCalls>;
  /** The outlet, or how to pick it from the session's mode once the handshake told it. */
  outlet: SessionOutlet | ((mode: SessionMode) => SessionOutlet);
  /**
   * Called once the data channel is open with a function that ends the session on the service (for
   * Ctrl-C or SIGTERM); what it returns is called when the session is over.
   */
  whileOpen?: (terminate: () => void) => () => void;
  signer?: UpgradeSigner;
  /** Largest Output payload we send (see SessionTuning.maxPayloadSize). */
  maxPayloadSize?: number;
  log: Logger;
}

/**
 * The library entry of `src/ssm`: opens a Session Manager session (calling StartSession when given a
 * request), pipes it to stdio or forwards a local port through it, and resolves with how it ended.
 * Failures before the data channel is open are thrown.
 */
export async function runSession(options: RunSessionOptions): Promise<SessionEnd> {
  const { log } = options;
  const response =
    'response' in options.start
      ? options.start.response
      : await (await options.calls()).startSession(options.start.request);
  const startedAt = performance.now();
  const sessionId = response.SessionId;
  const session = await openSession({
    sessionId,
    streamUrl: response.StreamUrl,
    tokenValue: response.TokenValue,
    resume: async () => (await options.calls()).resumeSession(sessionId),
    terminate: async () => (await options.calls()).terminateSession(sessionId),
    signer: options.signer,
    log,
    tuning: {
      ...(options.maxPayloadSize ? { maxPayloadSize: options.maxPayloadSize } : {}),
      ...STREAMING_READ_COALESCING,
    },
  });
  logSessionTimings(session, startedAt, log);
  const outlet = typeof options.outlet === 'function' ? options.outlet(session.mode) : options.outlet;
  const stopWatching = options.whileOpen?.(() => void session.terminate());
  try {
    if (outlet.kind === 'stdio') return await runStdioProxy(session, outlet.input, outlet.output, { log });
    const forward = await startPortForward(session, {
      localPort: outlet.localPort,
      host: outlet.bindAddress,
      log,
      announce: outlet.announce,
    });
    return await forward.closed;
  } finally {
    stopWatching?.();
  }
}

/**
 * Debug lines: handshake time after StartSession, and the session's statistics once it ended. Returns
 * what logs the statistics at once (only once): a caller that ends the session and may exit before its
 * end is seen, as `cp` does, calls it first.
 */
export function logSessionTimings(session: SsmSession, startedAt: number, log: Logger): () => void {
  const ready = session.timings.handshakeCompletedAt ?? startedAt;
  log.debug(
    `Session ${session.sessionId} ready (${session.mode} mode) ${Math.round(ready - startedAt)} ms after StartSession.`,
  );
  let logged = false;
  const logStatistics = (): void => {
    if (logged) return;
    logged = true;
    const firstOutput = session.timings.firstOutputAt;
    const firstByte = firstOutput === undefined ? 'none' : `${Math.round(firstOutput - startedAt)} ms`;
    log.debug(
      `Session ${session.sessionId} statistics: ${JSON.stringify(session.stats)}, final RTO ${session.currentRto.toFixed(1)} ms, ` +
        `first byte from the target ${firstByte} after StartSession.`,
    );
  };
  void session.ended.then(logStatistics);
  return logStatistics;
}
