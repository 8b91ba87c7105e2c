import { randomBytes } from 'node:crypto';
import type { AgentBehaviour } from './agentBehaviour';
import { defaultAgentBehaviour } from './agentBehaviour';
import type { TargetEndpoint } from './agentBridge';
import { FakeAgentSession } from './fakeAgentSession';
import { RelaySession } from './relaySession';
import type { RelayFaults } from './relaySession';
import { DEFAULT_DOCUMENT, sessionDocuments } from './sessionDocuments';

/** Maps a target id and the document's port (and host) to a local TCP endpoint, or refuses. */
export type TargetResolver = (
  target: string,
  port: number,
  host: string | undefined,
) => TargetEndpoint | undefined;

/** An SSM service error as the JSON 1.1 protocol reports it (`__type` and message). */
export class SessionServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = 'SessionServiceError';
  }
}

export interface StartSessionInput {
  Target?: string;
  DocumentName?: string;
  Parameters?: Record<string, string[]>;
  Reason?: string;
}

export interface SessionCredentials {
  SessionId: string;
  TokenValue: string;
  StreamUrl: string;
}

export interface SessionRegistryOptions {
  resolveTarget: TargetResolver;
  /** Whether the target's agent is Online; defaults to "the resolver knows its port 22". */
  isTargetOnline?: (target: string) => boolean;
  /** Agent behaviour for new sessions, on top of the defaults. */
  behaviour?: Partial<AgentBehaviour> | ((input: StartSessionInput) => Partial<AgentBehaviour>);
  /** ws://host:port the data-channel route is served on; set later with setStreamEndpoint. */
  streamEndpoint?: string;
  /** Prefix of session ids (the real service uses the caller's name). */
  sessionIdPrefix?: string;
  /**
   * Hands the session to the target's real agent (over its control channel) when it has one;
   * true means the session is relayed to that agent's own data channel instead of a fake agent.
   */
  startOnAgent?: (task: AgentSessionStart) => boolean;
}

/** A session for a real agent: what it needs to run the document. */
export interface AgentSessionStart {
  readonly sessionId: string;
  readonly target: string;
  readonly documentName: string;
  readonly sessionType: string;
  readonly parameters: Record<string, string>;
  /** The document's properties with the parameters already substituted. */
  readonly properties: Record<string, string>;
}

interface SessionRecord {
  agent: FakeAgentSession | RelaySession;
  token: string;
  cellNumber: string;
  /** ResumeSession returns an empty token once the session ended or timed out. */
  expired: boolean;
}

function newToken(): string {
  return randomBytes(96).toString('base64');
}

/** Opaque base64 that always contains '+', '/' and '=' so clients that re-encode the URL fail. */
function newCellNumber(): string {
  for (;;) {
    const value = randomBytes(16).toString('base64');
    if (value.includes('+') && value.includes('/')) return value;
  }
}

/**
 * The service-side session table: StartSession / ResumeSession / TerminateSession semantics, token
 * issuance, and one fake agent per session. The emulator's SSM operations and the standalone fake
 * service both call it; tests reach sessions through it to inject faults and read violations.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, SessionRecord>();
  private streamEndpoint: string | undefined;
  private counter = 0;
  /** Faults every new relayed session starts with (from its first frame); tests set and clear it. */
  relayFaults: RelayFaults | undefined;

  constructor(private readonly options: SessionRegistryOptions) {
    this.streamEndpoint = options.streamEndpoint;
  }

  setStreamEndpoint(endpoint: string): void {
    this.streamEndpoint = endpoint.replace(/\/$/, '');
  }

  get(sessionId: string): FakeAgentSession | undefined {
    const agent = this.sessions.get(sessionId)?.agent;
    return agent instanceof FakeAgentSession ? agent : undefined;
  }

  /** A session relayed to a real agent. */
  relay(sessionId: string): RelaySession | undefined {
    const agent = this.sessions.get(sessionId)?.agent;
    return agent instanceof RelaySession ? agent : undefined;
  }

  /** Either kind, for the data-channel route. */
  session(sessionId: string): FakeAgentSession | RelaySession | undefined {
    return this.sessions.get(sessionId)?.agent;
  }

  all(): FakeAgentSession[] {
    return [...this.sessions.values()]
      .map((record) => record.agent)
      .filter((agent): agent is FakeAgentSession => agent instanceof FakeAgentSession);
  }

  relays(): RelaySession[] {
    return [...this.sessions.values()]
      .map((record) => record.agent)
      .filter((agent): agent is RelaySession => agent instanceof RelaySession);
  }

  /** Every violation recorded so far: the fake agents' strict mode, and the relays' (a text frame mid-session). */
  violations(): string[] {
    return [...this.all(), ...this.relays()].flatMap((session) => session.violations);
  }

  /** Used by the upgrade route: the token the next OpenDataChannel must carry. */
  isValidCellNumber(sessionId: string, cellNumber: string | undefined): boolean {
    return this.sessions.get(sessionId)?.cellNumber === cellNumber;
  }

  startSession(input: StartSessionInput): SessionCredentials {
    const target = input.Target;
    if (!target)
      throw new SessionServiceError(
        'ValidationException',
        "1 validation error detected: Value null at 'target' failed to satisfy constraint: Member must not be null",
      );
    const documentName = input.DocumentName ?? DEFAULT_DOCUMENT;
    const document = sessionDocuments[documentName];
    if (!document)
      throw new SessionServiceError(
        'InvalidDocument',
        `Document ${documentName} does not exist in your account.`,
      );
    const parameters = this.resolveParameters(documentName, input.Parameters ?? {});
    const online =
      this.options.isTargetOnline ??
      ((id: string) => this.options.resolveTarget(id, 22, undefined) !== undefined);
    if (!online(target)) throw new SessionServiceError('TargetNotConnected', `${target} is not connected.`);
    this.counter += 1;
    const sessionId = `${this.options.sessionIdPrefix ?? 'sm-ssh-test'}-${randomBytes(9).toString('hex').slice(0, 17)}`;
    const overrides =
      typeof this.options.behaviour === 'function' ? this.options.behaviour(input) : this.options.behaviour;
    const behaviour: AgentBehaviour = {
      ...defaultAgentBehaviour,
      seed: defaultAgentBehaviour.seed + this.counter,
      ...overrides,
    };
    const record: SessionRecord = {
      token: newToken(),
      cellNumber: newCellNumber(),
      expired: false,
      agent: undefined as unknown as FakeAgentSession,
    };
    const relayed = this.options.startOnAgent?.({
      sessionId,
      target,
      documentName,
      sessionType: document.sessionType,
      parameters,
      properties: document.properties(parameters),
    });
    if (relayed) {
      // The agent's session worker calls CreateDataChannel later (another turn of the event loop),
      // so registering the relay after handing the session over is in time.
      const relay = new RelaySession({
        sessionId,
        target,
        currentToken: () => record.token,
        onClosed: () => (record.expired = true),
      });
      if (this.relayFaults) Object.assign(relay.faults, this.relayFaults);
      record.agent = relay;
      this.sessions.set(sessionId, record);
      return this.credentials(sessionId, record);
    }
    record.agent = new FakeAgentSession({
      sessionId,
      target,
      document,
      parameters,
      behaviour,
      resolveTarget: this.options.resolveTarget,
      currentToken: () => record.token,
      onClosed: () => (record.expired = true),
    });
    this.sessions.set(sessionId, record);
    return this.credentials(sessionId, record);
  }

  resumeSession(input: { SessionId?: string }): SessionCredentials {
    const record = this.require(input.SessionId);
    const sessionId = input.SessionId as string;
    if (record.expired) return { SessionId: sessionId, TokenValue: '', StreamUrl: '' };
    record.token = newToken();
    return this.credentials(sessionId, record);
  }

  async terminateSession(input: { SessionId?: string }): Promise<{ SessionId: string }> {
    const record = this.require(input.SessionId);
    record.expired = true;
    await record.agent.terminate('');
    return { SessionId: input.SessionId as string };
  }

  /** Marks a session timed out: ResumeSession then returns an empty token. */
  expire(sessionId: string): void {
    const record = this.sessions.get(sessionId);
    if (record) record.expired = true;
  }

  dispose(): void {
    for (const record of this.sessions.values()) record.agent.dispose();
  }

  private require(sessionId: string | undefined): SessionRecord {
    const record = sessionId ? this.sessions.get(sessionId) : undefined;
    if (!record)
      throw new SessionServiceError(
        'DoesNotExistException',
        `Session ${sessionId ?? '(none)'} does not exist.`,
      );
    return record;
  }

  private credentials(sessionId: string, record: SessionRecord): SessionCredentials {
    if (!this.streamEndpoint)
      throw new Error('SessionRegistry: no data-channel endpoint; call setStreamEndpoint first.');
    return {
      SessionId: sessionId,
      TokenValue: record.token,
      StreamUrl: `${this.streamEndpoint}/v1/data-channel/${sessionId}?role=publish_subscribe&cell-number=${record.cellNumber}`,
    };
  }

  private resolveParameters(documentName: string, given: Record<string, string[]>): Record<string, string> {
    const document = sessionDocuments[documentName];
    const values: Record<string, string> = {};
    for (const name of Object.keys(given)) {
      if (!(name in document.parameters)) {
        throw new SessionServiceError(
          'InvalidParameters',
          `Parameter "${name}" is not defined in document ${documentName}.`,
        );
      }
    }
    for (const [name, spec] of Object.entries(document.parameters)) {
      const value = given[name]?.[0] ?? spec.default;
      if (value === undefined) {
        throw new SessionServiceError(
          'InvalidParameters',
          `Parameter "${name}" is required by document ${documentName}.`,
        );
      }
      values[name] = value;
    }
    return values;
  }
}
