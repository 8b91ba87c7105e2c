import { randomBytes, randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { seededRandom } from '../seededRandom';
import { encodeAgentFrame, readWireFields, readWireMessageType } from './agentWire';
import { FaultyLink, type DirectionFaults } from './faultInjector';

export interface RelaySessionInit {
  readonly sessionId: string;
  readonly target: string;
  /** The client's current token (StartSession / ResumeSession). */
  readonly currentToken: () => string;
  readonly onClosed: () => void;
}

/** Seed of every relay's fault injection: a relayed session's faults fall the same way each run. */
const FAULT_SEED = 1;

/** The relay's faults, per direction; change them at any time. */
export interface RelayFaults {
  toClient?: DirectionFaults;
  toAgent?: DirectionFaults;
}

/** Messages the relay may drop, duplicate, delay or reorder: data and their acknowledgements. */
const FAULTABLE = new Set(['input_stream_data', 'output_stream_data', 'acknowledge']);

type Side = 'client' | 'agent';

/**
 * One session as the real service carries it: the client's data channel and the data channel AWS's
 * agent (its ssm-session-worker) opened for the session, with every binary message relayed
 * verbatim between them, so handshake, acknowledgements and retransmission run end to end.
 * Frames for a side that is not connected (the client between a drop and ResumeSession, the agent
 * before its worker dialed in) wait in order. The service's own messages: `agent_session_state`
 * stays with the service; when the agent's channel closes the client gets `channel_closed`.
 */
export class RelaySession {
  readonly violations: string[] = [];
  private client: WebSocket | undefined;
  private agent: WebSocket | undefined;
  private readonly pending: Record<Side, Buffer[]> = { client: [], agent: [] };
  private readonly agentTokens = new Set<string>();
  private closed = false;
  private readonly closedWaiters: (() => void)[] = [];
  /** Frames relayed each way, for tests. */
  readonly relayed: Record<Side, number> = { client: 0, agent: 0 };
  /** Fault injection between the two sides (acks and retransmission are the peers' business). */
  readonly faults: RelayFaults = {};
  readonly toClient: FaultyLink;
  readonly toAgent: FaultyLink;

  constructor(private readonly init: RelaySessionInit) {
    const random = seededRandom(FAULT_SEED);
    this.toClient = new FaultyLink(
      () => this.faults.toClient,
      random,
      (frame) => this.forward('client', frame),
    );
    this.toAgent = new FaultyLink(
      () => this.faults.toAgent,
      random,
      (frame) => this.forward('agent', frame),
    );
  }

  /** Drops the client's WebSocket: `bye` with a close frame, `abrupt` without; the client resumes. */
  disconnectClient(mode: 'bye' | 'abrupt'): void {
    const socket = this.client;
    if (!socket) return;
    this.client = undefined;
    if (mode === 'bye') socket.close(1000, 'Bye');
    else socket.terminate();
  }

  get sessionId(): string {
    return this.init.sessionId;
  }

  get target(): string {
    return this.init.target;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  record(violation: string): void {
    this.violations.push(`${this.sessionId}: ${violation}`);
  }

  /** CreateDataChannel from the agent's session worker: the token its socket must open with. */
  issueAgentToken(): string {
    const token = randomBytes(32).toString('base64url');
    this.agentTokens.add(token);
    return token;
  }

  /** The client's WebSocket (StreamUrl); it opens with OpenDataChannel and the session token. */
  attachSocket(socket: WebSocket, _headers?: Record<string, string | string[] | undefined>): void {
    this.attach('client', socket, (open) => open.TokenValue === this.init.currentToken());
  }

  /** The agent's WebSocket; it opens with OpenDataChannel and a token from CreateDataChannel. */
  attachAgentSocket(socket: WebSocket): void {
    this.attach(
      'agent',
      socket,
      (open) => typeof open.TokenValue === 'string' && this.agentTokens.delete(open.TokenValue),
    );
  }

  /** TerminateSession: both sides get channel_closed, then both sockets close. */
  terminate(output = ''): Promise<void> {
    this.end(output);
    return new Promise((resolve) => (this.closed ? resolve() : this.closedWaiters.push(resolve)));
  }

  dispose(): void {
    this.toClient.dispose();
    this.toAgent.dispose();
    this.client?.terminate();
    this.agent?.terminate();
    this.markClosed();
  }

  private attach(side: Side, socket: WebSocket, accept: (open: { TokenValue?: unknown }) => boolean): void {
    let opened = false;
    socket.on('error', () => undefined);
    // The service answers pings on both channels. AWS's agent extends its read deadline only on a
    // pong (60 s; 114 s before the first), and drops and re-dials its channel when none comes.
    socket.on('ping', (data) => socket.pong(data));
    socket.on('message', (data, isBinary) => {
      const frame = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
      if (!opened) {
        opened = this.open(side, socket, frame, accept);
        return;
      }
      if (!isBinary) this.record(`${side} sent a text frame after OpenDataChannel`);
      if (side === 'agent') this.fromAgent(frame);
      else this.toAgent.pass(frame, isFaultable(frame));
    });
    socket.on('close', () => {
      if (this[side] !== socket) return;
      this[side] = undefined;
      // The worker's channel closing ends the session; a client may come back with ResumeSession.
      if (side === 'agent') this.end('');
    });
  }

  private open(
    side: Side,
    socket: WebSocket,
    frame: Buffer,
    accept: (open: { TokenValue?: unknown }) => boolean,
  ): boolean {
    let open: { TokenValue?: unknown };
    try {
      open = JSON.parse(frame.toString('utf8')) as { TokenValue?: unknown };
    } catch {
      socket.close(4400, 'bad OpenDataChannel');
      return false;
    }
    if (this.closed || !accept(open)) {
      socket.close(4401, 'invalid token');
      return false;
    }
    this[side]?.terminate();
    this[side] = socket;
    for (const queued of this.pending[side].splice(0)) this.forward(side, queued);
    return true;
  }

  private fromAgent(frame: Buffer): void {
    const messageType = readWireMessageType(frame);
    if (messageType === 'agent_session_state') {
      const state = safeJson(readWireFields(frame)!.payload)?.SessionState;
      if (state === 'Terminating') this.end('');
      return;
    }
    this.toClient.pass(frame, FAULTABLE.has(messageType));
  }

  private forward(to: Side, frame: Buffer): void {
    const socket = this[to];
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      this.pending[to].push(frame);
      return;
    }
    this.relayed[to] += 1;
    socket.send(frame, { binary: true });
  }

  private end(output: string): void {
    if (this.closed) return;
    const closing = this.channelClosedFrame(output);
    for (const side of ['client', 'agent'] as const) {
      const socket = this[side];
      this[side] = undefined;
      if (socket?.readyState === WebSocket.OPEN)
        socket.send(closing, { binary: true }, () => socket.close(1000));
      else socket?.terminate();
    }
    this.markClosed();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.toClient.dispose();
    this.toAgent.dispose();
    this.init.onClosed();
    for (const wake of this.closedWaiters.splice(0)) wake();
  }

  private channelClosedFrame(output: string): Buffer {
    return encodeAgentFrame({
      messageType: 'channel_closed',
      sequenceNumber: 0,
      flags: 3,
      payloadType: 0,
      payload: Buffer.from(
        JSON.stringify({
          MessageId: randomUUID(),
          CreatedDate: new Date().toISOString(),
          DestinationId: this.target,
          SessionId: this.sessionId,
          MessageType: 'channel_closed',
          SchemaVersion: 1,
          Output: output,
        }),
      ),
    });
  }
}

function isFaultable(frame: Buffer): boolean {
  return FAULTABLE.has(readWireMessageType(frame));
}

function safeJson(payload: Buffer): Record<string, unknown> | undefined {
  try {
    return JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
