// Stays for test/unit/ssm, test/unit/forward, bench-tunnel, stand-ins: exact faults, old versions, strictness.
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import type { AgentBehaviour, DisconnectMode } from './agentBehaviour';
import type { AgentBridge, BridgeHost, TargetEndpoint } from './agentBridge';
import { AgentOutputPump } from './agentOutputPump';
import { AgentReliability } from './agentReliability';
import type { WireFields } from './agentWire';
import { encodeAgentFrame, readWireFields } from './agentWire';
import { AgentSmuxServer } from './agentSmuxServer';
import { BasicTargetBridge } from './basicTargetBridge';
import type { OpenDataChannelFrame } from './clientFrameRules';
import { clientHeaderViolations, openFrameViolations } from './clientFrameRules';
import { FaultyLink } from './faultInjector';
import { seededRandom } from '../seededRandom';
import type { SessionDocument } from './sessionDocuments';

/** How often unacknowledged messages are checked for retransmission. */
const RETRANSMIT_TICK_MS = 100;
/** How long the agent waits for the client's HandshakeResponse. */
const HANDSHAKE_TIMEOUT_MS = 15_000;
/** How long to wait for acks before channel_closed when the agent ends the session. */
const CLOSE_DRAIN_MS = 2_000;

export type AgentSessionState = 'waiting' | 'handshaking' | 'open' | 'closing' | 'closed';

export interface ClientConnectionRecord {
  clientId?: string;
  clientVersion?: string;
  requestId?: string;
  token: string;
  /** Upgrade request headers (SigV4 headers are accepted and ignored). */
  headers: Record<string, string | string[] | undefined>;
}

export interface FakeAgentSessionInit {
  sessionId: string;
  target: string;
  document: SessionDocument;
  parameters: Record<string, string>;
  behaviour: AgentBehaviour;
  resolveTarget: (target: string, port: number, host: string | undefined) => TargetEndpoint | undefined;
  /** The service's current token for this session (changes on ResumeSession). */
  currentToken: () => string;
  onClosed: (session: FakeAgentSession) => void;
}

function versionAtLeast(version: string, threshold: string): boolean {
  const a = version.split('.').map(Number);
  const b = threshold.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const left = a[i] ?? 0;
    const right = b[i] ?? 0;
    if (Number.isNaN(left)) return false;
    if (left !== right) return left > right;
  }
  return true;
}

/**
 * The service plus the agent for one session: authenticates each data-channel WebSocket with the
 * OpenDataChannel frame, runs the handshake once, then bridges Output to the target in the mode the
 * agent would pick. Connections come and go (ResumeSession); the agent's state stays.
 */
export class FakeAgentSession implements BridgeHost {
  readonly sessionId: string;
  readonly target: string;
  readonly document: SessionDocument;
  readonly parameters: Record<string, string>;
  readonly properties: Record<string, string>;
  behaviourSettings: AgentBehaviour;
  state: AgentSessionState = 'waiting';
  readonly violations: string[] = [];
  readonly connections: ClientConnectionRecord[] = [];
  readonly flagsReceived: number[] = [];
  closeOutput: string | undefined;
  handshakeClientVersion: string | undefined;
  bridge: AgentBridge | undefined;
  readonly pump: AgentOutputPump;
  readonly reliability: AgentReliability;
  readonly toClient: FaultyLink;
  readonly toAgent: FaultyLink;
  private socket: WebSocket | undefined;
  private blackHoled = false;
  private corked = false;
  private agentMessages = 0;
  private disconnectsDone = 0;
  /** A drop is scheduled and has not happened yet. */
  private disconnectPending = false;
  /** The message count at the last drop: the next one comes `every` messages after it. */
  private lastDisconnectAt = 0;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private readonly closedWaiters: Array<() => void> = [];
  private readonly digestRandom: () => number;

  constructor(private readonly init: FakeAgentSessionInit) {
    this.sessionId = init.sessionId;
    this.target = init.target;
    this.document = init.document;
    this.parameters = init.parameters;
    this.properties = init.document.properties(init.parameters);
    this.behaviourSettings = init.behaviour;
    const random = seededRandom(init.behaviour.seed);
    this.digestRandom = seededRandom(init.behaviour.seed + 7);
    this.toClient = new FaultyLink(
      () => this.behaviourSettings.toClient,
      random,
      (frame) => this.sendToSocket(frame),
    );
    this.toAgent = new FaultyLink(
      () => this.behaviourSettings.toAgent,
      random,
      (frame) => this.handleClientFrame(frame),
    );
    this.reliability = new AgentReliability({
      transmit: (frame, faultable) => this.transmit(frame, faultable),
      admit: (payloadType) => this.admit(payloadType),
      deliver: (message) => this.deliver(message),
      record: (violation) => this.record(violation),
      retransmit: () => this.behaviourSettings.retransmit,
      retransmitTickMs: RETRANSMIT_TICK_MS,
      maxInFlight: init.behaviour.maxInFlight,
      typePadding: () => this.behaviourSettings.typePadding,
      corruptDigest: () => this.digestRandom() * 100 < this.behaviourSettings.corruptDigestPercent,
      onWindowOpen: () => this.pump.kick(),
    });
    this.pump = new AgentOutputPump(this.reliability, () => ({
      readSize: this.behaviourSettings.readSize,
      pacing: this.behaviourSettings.pacing,
    }));
  }

  behaviour(): AgentBehaviour {
    return this.behaviourSettings;
  }

  /** Resolves once the session is closed (by either side). */
  whenClosed(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    return new Promise((resolve) => this.closedWaiters.push(resolve));
  }

  endpoint(): TargetEndpoint | undefined {
    const port = Number(this.properties.portNumber);
    return this.init.resolveTarget(this.target, port, this.properties.host);
  }

  record(violation: string): void {
    if (this.behaviourSettings.strict) this.violations.push(`${this.sessionId}: ${violation}`);
  }

  deliverBuffered(): void {
    this.reliability.deliverBuffered();
  }

  /** A WebSocket upgraded for this session; it must open with the OpenDataChannel text frame. */
  attachSocket(socket: WebSocket, headers: Record<string, string | string[] | undefined>): void {
    let authenticated = false;
    socket.on('ping', (data) => {
      if (!this.blackHoled || this.socket !== socket) socket.pong(data);
    });
    socket.on('error', () => undefined);
    socket.on('message', (data, isBinary) => {
      const frame = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      if (!authenticated) {
        authenticated = this.authenticate(socket, frame, isBinary, headers);
        return;
      }
      if (this.socket !== socket || this.blackHoled) return;
      if (!isBinary) this.record('text frame after OpenDataChannel');
      this.toAgent.pass(frame, true);
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.blackHoled = false;
    });
  }

  /** Injects the service's publication messages. */
  sendPublication(kind: 'pause_publication' | 'start_publication'): void {
    this.transmit(
      encodeAgentFrame({
        messageType: kind,
        sequenceNumber: 0,
        flags: 0,
        payloadType: 0,
        payload: Buffer.alloc(0),
      }),
      false,
    );
  }

  /** Drops the client's WebSocket the way the service or the network would. */
  disconnectClient(mode: DisconnectMode): void {
    const socket = this.socket;
    if (!socket) return;
    if (mode === 'silent') {
      this.blackHoled = true;
      return;
    }
    this.socket = undefined;
    if (mode === 'bye') socket.close(1000, 'Bye');
    else socket.terminate();
  }

  /** TerminateSession API: the agent stops, the service sends channel_closed. */
  terminate(output = ''): Promise<void> {
    this.endSession(output, false);
    return this.whenClosed();
  }

  /** The agent ends the session: flush and drain (bounded), send channel_closed, close. */
  endSession(output: string, drain = true): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    void this.finish(output, drain);
  }

  /** Immediate teardown (test cleanup). */
  dispose(): void {
    this.bridge?.close();
    this.pump.stop();
    this.reliability.stop();
    this.toClient.dispose();
    this.toAgent.dispose();
    clearTimeout(this.handshakeTimer);
    this.socket?.terminate();
    this.socket = undefined;
    this.markClosed();
  }

  private async finish(output: string, drain: boolean): Promise<void> {
    clearTimeout(this.handshakeTimer);
    if (drain) {
      const deadline = CLOSE_DRAIN_MS;
      await Promise.race([this.pump.whenEmpty(), new Promise((resolve) => setTimeout(resolve, deadline))]);
      await this.reliability.whenAcknowledged(deadline);
    }
    this.bridge?.close();
    this.closeOutput = output;
    this.transmit(this.channelClosedFrame(output), false);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000);
    this.dispose();
  }

  private markClosed(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.init.onClosed(this);
    for (const wake of this.closedWaiters.splice(0)) wake();
  }

  private channelClosedFrame(output: string): Buffer {
    const payload = Buffer.from(
      JSON.stringify({
        MessageId: randomUUID(),
        CreatedDate: String(Date.now()),
        DestinationId: this.target,
        SessionId: this.sessionId,
        MessageType: 'channel_closed',
        SchemaVersion: 1,
        Output: output,
      }),
    );
    return encodeAgentFrame({
      messageType: 'channel_closed',
      sequenceNumber: 0,
      flags: 3,
      payloadType: 0,
      payload,
    });
  }

  private authenticate(
    socket: WebSocket,
    frame: Buffer,
    isBinary: boolean,
    headers: Record<string, string | string[] | undefined>,
  ): boolean {
    let open: OpenDataChannelFrame;
    try {
      open = JSON.parse(frame.toString('utf8')) as OpenDataChannelFrame;
    } catch {
      this.record('first frame is not the OpenDataChannel JSON');
      socket.close(4400, 'bad OpenDataChannel');
      return false;
    }
    if (isBinary) this.record('OpenDataChannel was sent as a binary frame');
    if (open.TokenValue !== this.init.currentToken() || this.state === 'closed' || this.state === 'closing') {
      socket.close(4401, 'invalid token');
      return false;
    }
    for (const problem of openFrameViolations(open)) this.record(problem);
    const previous = this.connections[0];
    if (previous?.clientId !== undefined && previous.clientId !== open.ClientId) {
      this.record('ClientId changed between connections of one session');
    }
    this.connections.push({
      clientId: typeof open.ClientId === 'string' ? open.ClientId : undefined,
      clientVersion: typeof open.ClientVersion === 'string' ? open.ClientVersion : undefined,
      requestId: typeof open.RequestId === 'string' ? open.RequestId : undefined,
      token: String(open.TokenValue),
      headers,
    });
    const stale = this.socket;
    this.socket = socket;
    this.blackHoled = false;
    if (stale && stale !== socket) stale.terminate();
    if (this.state === 'waiting') this.startHandshake();
    else {
      this.reliability.resendAll();
      this.pump.kick();
    }
    return true;
  }

  private startHandshake(): void {
    this.state = 'handshaking';
    this.reliability.start();
    const request = {
      AgentVersion: this.behaviourSettings.agentVersion,
      RequestedClientActions: [
        {
          ActionType: 'SessionType',
          ActionParameters: { SessionType: this.document.sessionType, Properties: this.properties },
        },
      ],
    };
    this.sendStream(5, Buffer.from(JSON.stringify(request)));
    this.handshakeTimer = setTimeout(
      () =>
        this.endSession(
          'Handshake timed out. Please ensure that you have the latest version of the session manager plugin.',
          false,
        ),
      HANDSHAKE_TIMEOUT_MS,
    );
  }

  private sendStream(payloadType: number, payload: Buffer): void {
    this.reliability.sendStream(payloadType, payload);
  }

  private transmit(frame: Buffer, faultable: boolean): boolean {
    if (!this.socket) return false;
    if (faultable) {
      const type = frame.toString('latin1', 4, 36).replace(/^[\0 ]+|[\0 ]+$/g, '');
      if (type === 'output_stream_data') {
        this.agentMessages += 1;
        this.maybeDisconnect(this.behaviourSettings.disconnect?.afterAgentMessages, this.agentMessages);
      }
    }
    this.toClient.pass(frame, faultable);
    return this.socket !== undefined;
  }

  private sendToSocket(frame: Buffer): void {
    const socket = this.socket;
    if (!socket || this.blackHoled || socket.readyState !== socket.OPEN) return;
    if (!this.corked) {
      const raw = (socket as unknown as { _socket?: Socket })._socket;
      if (raw) {
        this.corked = true;
        raw.cork();
        process.nextTick(() => {
          this.corked = false;
          raw.uncork();
        });
      }
    }
    socket.send(frame, { binary: true });
  }

  private maybeDisconnect(every: number | undefined, count: number): void {
    const trigger = this.behaviourSettings.disconnect;
    if (!trigger || !every || this.disconnectPending) return;
    if (count - this.lastDisconnectAt < every) return;
    if (this.disconnectsDone >= (trigger.times ?? 1)) return;
    // Many messages can go out in one tick (a burst of retransmissions): the next drop is counted from
    // this one, so two drops never land in the same tick, where the second would find no socket.
    this.disconnectPending = true;
    setImmediate(() => {
      this.disconnectPending = false;
      if (!this.socket) return;
      this.disconnectsDone += 1;
      this.lastDisconnectAt = count;
      this.disconnectClient(trigger.mode);
    });
  }

  private handleClientFrame(frame: Buffer): void {
    if (this.state === 'closed') return;
    const fields = readWireFields(frame);
    if (!fields) {
      this.record(`frame of ${frame.length} bytes is shorter than the 120-byte header`);
      return;
    }
    if (this.behaviourSettings.strict) {
      for (const problem of clientHeaderViolations(fields, frame.length)) this.record(problem);
    }
    if (fields.messageType === 'acknowledge') this.reliability.receiveAck(fields);
    else if (fields.messageType === 'input_stream_data') this.reliability.receiveStream(fields);
  }

  private admit(payloadType: number): 'deliver' | 'hold' | 'refuse' {
    if (payloadType !== 1 || this.state !== 'open' || !this.bridge) return 'deliver';
    return this.bridge.admitOutput();
  }

  private deliver(message: WireFields): void {
    const sequence = Number(message.sequenceNumber);
    if (sequence === 0 && message.payloadType !== 6) this.record('client seq 0 is not the HandshakeResponse');
    switch (message.payloadType) {
      case 6:
        this.onHandshakeResponse(message.payload);
        return;
      case 1:
        if (this.state !== 'open') {
          this.record(`Output (client seq ${sequence}) before HandshakeComplete`);
          return;
        }
        this.bridge?.onClientOutput(message.payload);
        return;
      case 10:
        this.onFlag(message.payload);
        return;
      default:
        this.record(`client stream payload type ${message.payloadType}`);
    }
  }

  private onFlag(payload: Buffer): void {
    if (payload.length !== 4) {
      this.record(`Flag payload of ${payload.length} bytes`);
      return;
    }
    const code = payload.readUInt32BE(0);
    if (code < 1 || code > 3) this.record(`unknown flag code ${code}`);
    this.flagsReceived.push(code);
    if (code === 2) this.endSession('', false);
    else this.bridge?.onFlag(code);
  }

  private onHandshakeResponse(payload: Buffer): void {
    if (this.state !== 'handshaking') {
      this.record('HandshakeResponse outside the handshake');
      return;
    }
    let response: {
      ClientVersion?: unknown;
      ProcessedClientActions?: Array<{ ActionType?: unknown; ActionStatus?: unknown }>;
    };
    try {
      response = JSON.parse(payload.toString('utf8')) as typeof response;
    } catch {
      this.record('HandshakeResponse is not JSON');
      this.endSession('Handshake failed: malformed response.', false);
      return;
    }
    const clientVersion = typeof response.ClientVersion === 'string' ? response.ClientVersion : '';
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(clientVersion))
      this.record(`HandshakeResponse ClientVersion "${clientVersion}" is not 4-part`);
    this.handshakeClientVersion = clientVersion;
    const actions = response.ProcessedClientActions ?? [];
    const accepted = actions.length > 0 && actions.every((action) => action.ActionStatus === 1);
    clearTimeout(this.handshakeTimer);
    if (!accepted) {
      this.endSession(
        'The client failed to process the requested session type; the session was cancelled.',
        false,
      );
      return;
    }
    if (this.behaviourSettings.withholdHandshakeComplete) return;
    this.state = 'open';
    this.sendStream(
      7,
      Buffer.from(
        JSON.stringify({
          HandshakeTimeToComplete: 1_500_000,
          CustomerMessage: '',
        }),
      ),
    );
    this.bridge = this.createBridge(clientVersion);
    this.bridge.start();
  }

  private createBridge(clientVersion: string): AgentBridge {
    if (this.properties.type !== 'LocalPortForwarding') return new BasicTargetBridge(this, 'sshd');
    const agentMux = !versionAtLeast('3.0.196.0', this.behaviourSettings.agentVersion);
    if (agentMux && versionAtLeast(clientVersion, '1.1.70')) return new AgentSmuxServer(this);
    return new BasicTargetBridge(this, 'reconnecting');
  }
}
