import { EventEmitter } from 'node:events';
import type { StartSessionRequest, StartSessionResponse } from '../ssm/ssmApi';
import { LocalPortUnavailableError } from '../ssm/sessionErrors';
import type { PortForward } from '../ssm/portForward';
import { startPortForward } from '../ssm/portForward';
import { FlagCode } from '../ssm/protocolConstants';
import type { ResumedSession, SessionTuning } from '../ssm/sessionOptions';
import type { SessionEnd, SsmSession } from '../ssm/ssmSession';
import { openSession } from '../ssm/ssmSession';
import { UserFacingError, errorMessage } from '../util/errors';
import type { Logger } from '../util/logger';
import { silentLogger } from '../util/logger';
import {
  LocalPortInUseError,
  NothingListensError,
  PORT_FORWARDING_DOCUMENT,
  PortForwardDeniedError,
} from './forwardErrors';
import type { LocalPortProbe } from './localPorts';
import { FORWARD_BIND_ADDRESS, chooseLocalPort, systemPortProbe } from './localPorts';

/** The SSM calls a forward makes; SsmApi (src/ssm/ssmApi.ts) is the real one. */
export interface ForwardSessionApi {
  startSession(request: StartSessionRequest): Promise<StartSessionResponse>;
  resumeSession(sessionId: string): Promise<ResumedSession>;
  terminateSession(sessionId: string): Promise<void>;
}

export interface ForwardRequest {
  /** The managed instance (`mi-…`) the agent runs on. */
  readonly instanceId: string;
  /** How messages name the node: an alias, or "algo-1 of my-job". */
  readonly where: string;
  readonly remotePort: number;
  /** Undefined: the remote port when free locally, else any free port. 0: any free port. */
  readonly localPort?: number;
}

export interface StartForwardOptions {
  readonly log?: Logger;
  readonly probe?: LocalPortProbe;
  readonly tuning?: Partial<SessionTuning>;
}

/**
 * `active`; `reconnecting` (the data channel dropped, ResumeSession is under way); `nothingListens`
 * (the last connection failed in the container because nothing listens on the remote port).
 */
export type ForwardState = 'active' | 'reconnecting' | 'nothingListens';

interface NodeForwardEvents {
  state: [state: ForwardState];
}

/** What a running forward offers its owner (the CLI, the forward manager). */
export interface RunningForward {
  readonly request: ForwardRequest;
  readonly sessionId: string;
  readonly localPort: number;
  readonly state: ForwardState;
  readonly problem: NothingListensError | undefined;
  readonly ended: Promise<SessionEnd>;
  stop(): Promise<SessionEnd>;
  on(event: 'state', listener: (state: ForwardState) => void): unknown;
}

/** One running forward: a local listener on 127.0.0.1 and its SSM port session. */
export class NodeForward extends EventEmitter<NodeForwardEvents> implements RunningForward {
  private current: ForwardState = 'active';

  constructor(
    readonly request: ForwardRequest,
    private readonly session: SsmSession,
    private readonly forward: PortForward,
  ) {
    super();
    session.on('reconnecting', () => this.setState('reconnecting'));
    session.on('reconnected', () => this.setState('active'));
    session.on('flag', (flag) => {
      if (flag === FlagCode.ConnectToPortError) this.setState('nothingListens');
    });
  }

  get sessionId(): string {
    return this.session.sessionId;
  }

  get localPort(): number {
    return this.forward.port;
  }

  get state(): ForwardState {
    return this.current;
  }

  /** Set while the state is `nothingListens`. */
  get problem(): NothingListensError | undefined {
    return this.current === 'nothingListens'
      ? new NothingListensError(this.request.remotePort, this.request.where)
      : undefined;
  }

  /** Resolves when the session has ended (stopped here, closed by the service, or failed) and the port is free. */
  get ended(): Promise<SessionEnd> {
    return this.forward.closed;
  }

  /** Stops listening and terminates the session on the service. */
  stop(): Promise<SessionEnd> {
    return this.forward.close();
  }

  /** A new local connection: the state reflects the newest connection, so a fixed server clears the problem. */
  connectionAccepted(): void {
    if (this.current === 'nothingListens') this.setState('active');
  }

  private setState(state: ForwardState): void {
    if (state === this.current) return;
    this.current = state;
    this.emit('state', state);
  }
}

function isAccessDenied(error: unknown): boolean {
  return error instanceof UserFacingError && error.code === 'AccessDenied';
}

async function startSessionFor(
  api: ForwardSessionApi,
  request: ForwardRequest,
  localPort: number,
): Promise<StartSessionResponse> {
  try {
    return await api.startSession({
      Target: request.instanceId,
      DocumentName: PORT_FORWARDING_DOCUMENT,
      Parameters: { portNumber: [String(request.remotePort)], localPortNumber: [String(localPort)] },
    });
  } catch (error) {
    if (isAccessDenied(error))
      throw new PortForwardDeniedError(request.instanceId, errorMessage(error), error);
    throw error;
  }
}

/**
 * Starts forwarding 127.0.0.1:<local> to port `remotePort` in the container of `instanceId` over an
 * SSM port session (AWS-StartPortForwardingSession, our own client, no ssh). A dropped connection
 * is resumed (ResumeSession); `stop()` terminates the session on the service. This is the one way
 * to forward a port: the CLI, the tree's Forward Port… and the debugger attach all use it.
 */
export async function startForward(
  api: ForwardSessionApi,
  request: ForwardRequest,
  options: StartForwardOptions = {},
): Promise<NodeForward> {
  const log = options.log ?? silentLogger;
  const probe = options.probe ?? systemPortProbe;
  const localPort = await chooseLocalPort(request.remotePort, request.localPort, probe);
  const response = await startSessionFor(api, request, localPort);
  const sessionId = response.SessionId;
  const session = await openSession({
    sessionId,
    streamUrl: response.StreamUrl,
    tokenValue: response.TokenValue,
    resume: () => api.resumeSession(sessionId),
    terminate: () => api.terminateSession(sessionId),
    log,
    tuning: options.tuning,
  }).catch(async (error: unknown) => {
    // No handshake: nothing of ours ends the session, so end it on the service.
    await api.terminateSession(sessionId).catch(() => undefined);
    throw error;
  });
  let forward: NodeForward | undefined;
  try {
    const portForward = await startPortForward(session, {
      localPort,
      host: FORWARD_BIND_ADDRESS,
      log,
      announce: (line) => log.debug(line),
      onConnection: () => forward?.connectionAccepted(),
    });
    forward = new NodeForward(request, session, portForward);
    return forward;
  } catch (error) {
    await session.terminate();
    if (error instanceof LocalPortUnavailableError) {
      throw new LocalPortInUseError(localPort, await probe.anyFree().catch(() => undefined), error);
    }
    throw error;
  }
}
