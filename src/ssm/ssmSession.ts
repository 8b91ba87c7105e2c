import { EventEmitter } from 'node:events';
import type { Logger } from '../util/logger';
import { silentLogger } from '../util/logger';
import { channelClosedLooksLikeError, parseChannelClosedPayload } from './channelClosedPayload';
import type { ClientMessage, DecodedClientMessage } from './clientMessage';
import type { Clock, TimerHandle } from './clock';
import { systemClock } from './clock';
import type { ConnectionEnd, DataChannelConnection } from './dataChannelConnection';
import { compactBuffer } from './compactBuffer';
import { connectDataChannel } from './dataChannelConnection';
import { DataChannelUpgradeError } from './sessionErrors';
import { encodeFlagPayload, parseFlagPayload } from './flagPayload';
import { encodeSizePayload, parseExitCodePayload } from './shellPayloads';
import { decideHandshake } from './handshake';
import { encodeHandshakeResponse, parseHandshakeComplete, parseHandshakeRequest } from './handshakePayloads';
import type { PortSessionProperties } from './portSessionProperties';
import type { FlagCodeValue } from './protocolConstants';
import { FlagCode, MessageType, PayloadType } from './protocolConstants';
import { ReconnectBackoff } from './reconnectBackoff';
import type { Admission, ReliableChannelStats } from './reliableChannel';
import { ReliableChannel } from './reliableChannel';
import {
  ConnectionLostError,
  DataChannelRejectedError,
  HandshakeRefusedError,
  HandshakeTimeoutError,
  RetransmissionTimeoutError,
  SessionClosedByServiceError,
  SessionTimedOutError,
  SsmSessionError,
} from './sessionErrors';
import type { SessionMode } from './sessionMode';
import { sessionModeOf } from './sessionMode';
import type { OpenSessionOptions, SessionKind, SessionTuning } from './sessionOptions';
import { defaultSessionTuning, processClientId } from './sessionOptions';
import { isPresignedStreamUrl } from './upgradeSigner';
import { agentSupportsTerminateFlag, CLIENT_VERSION } from './version';

/**
 * With readCoalesceMs, reads are held back only while fewer of our messages than this await acks:
 * an upload's acks free its send window, so delaying them would slow it down.
 */
const HOLD_READS_BELOW_IN_FLIGHT = 32;
/**
 * Long holds (readCoalesceSustainedMs) only while what we await acks for is requests (SFTP reads,
 * keystrokes), not an upload: a long hold of unread acks would stall an upload's send window.
 */
const LONG_HOLD_BELOW_UNACKNOWLEDGED_BYTES = 16 * 1024;

export type SessionEnd =
  | { kind: 'channel-closed'; output: string; isError: boolean }
  | { kind: 'closed-locally' }
  | { kind: 'failed'; error: SsmSessionError };

/**
 * How a receiver can take more data: `ready`; `busy` (backed up: the session keeps acknowledging
 * into its bounded receive buffer); `absent` (no local consumer: data is not acknowledged, so the
 * agent resends it later).
 */
export type ReceiverState = 'ready' | 'busy' | 'absent';

/** Receives the session's Output bytes in order. */
export interface SessionReceiver {
  onData(chunk: Buffer): void;
  state(): ReceiverState;
}

export interface SessionTimings {
  /** When the session object started connecting (performance.now() clock). */
  startedAt: number;
  connectedAt?: number;
  handshakeCompletedAt?: number;
  firstOutputAt?: number;
}

interface SsmSessionEvents {
  drain: [];
  flag: [code: number];
  /** Shell sessions: bytes the agent sent as StdErr (NonInteractiveCommands with separate streams). */
  stderr: [chunk: Buffer];
  /** Shell sessions: the command's exit status, when the agent reports one (ExitCode payload). */
  exitCode: [code: number];
  reconnecting: [detail: string];
  reconnected: [];
}

/**
 * One Session Manager session of type Port: the data channel (reconnected with ResumeSession as
 * needed), its reliability layer and the handshake. Mode runners (stdio, port forwarding) use
 * `write`/`setReceiver` for the byte stream, `sendFlag` for control, and `terminate`/`close` to end.
 * Create it with `openSession`, which resolves once the handshake has completed.
 */
export class SsmSession extends EventEmitter<SsmSessionEvents> {
  readonly sessionId: string;
  readonly timings: SessionTimings;
  readonly ended: Promise<SessionEnd>;
  agentVersion = '';
  properties: PortSessionProperties = {};
  mode: SessionMode = 'stream';
  /** The SessionType from the handshake (`Port`, `Standard_Stream`, …), or `Standard_Stream` without one. */
  sessionType = '';
  readonly kind: SessionKind;

  private readonly tuning: SessionTuning;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly channel: ReliableChannel;
  private readonly handshake: Promise<void>;
  private resolveHandshake!: () => void;
  private rejectHandshake!: (error: Error) => void;
  private resolveEnded!: (end: SessionEnd) => void;
  private endResult: SessionEnd | undefined;
  private handshakeComplete = false;
  private handshakeTimer: TimerHandle | undefined;
  private connection: DataChannelConnection | undefined;
  private tokenValue: string;
  private receiver: SessionReceiver | undefined;
  private pendingInbound: Buffer[] = [];
  private pendingInboundBytes = 0;
  private readonly pendingWaits = new Set<() => void>();
  private terminating: Promise<void> | undefined;

  constructor(private readonly options: OpenSessionOptions) {
    super();
    this.sessionId = options.sessionId;
    this.tokenValue = options.tokenValue;
    this.kind = options.kind ?? 'port';
    this.tuning = { ...defaultSessionTuning, ...options.tuning };
    this.log = options.log ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.timings = { startedAt: this.clock.now() };
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    this.handshake = new Promise((resolve, reject) => {
      this.resolveHandshake = resolve;
      this.rejectHandshake = reject;
    });
    this.handshake.catch(() => undefined);
    this.channel = new ReliableChannel({
      outgoingType: MessageType.InputStreamData,
      incomingType: MessageType.OutputStreamData,
      delivery: {
        admit: (message) => this.admit(message),
        deliver: (message) => this.deliver(message),
      },
      onControlMessage: (message) => this.handleControlMessage(message),
      onGiveUp: () =>
        this.fail(
          new RetransmissionTimeoutError(this.sessionId, Math.round(this.tuning.retransmitGiveUpMs / 1000)),
        ),
      log: this.log,
      clock: this.clock,
      maxInFlight: this.tuning.maxInFlight,
      retransmitGiveUpMs: this.tuning.retransmitGiveUpMs,
      maxPayloadSize: this.tuning.maxPayloadSize,
    });
    this.channel.on('drain', () => this.emit('drain'));
  }

  get isOpen(): boolean {
    return this.handshakeComplete && !this.endResult;
  }

  get stats(): Readonly<ReliableChannelStats> {
    return this.channel.stats;
  }

  get currentRto(): number {
    return this.channel.rto;
  }

  /** True while the service has paused publication (pause_publication until data, ack or start). */
  get publicationPaused(): boolean {
    return this.channel.isPaused;
  }

  /** Messages accepted by `write` but not yet sent (window full, paused or reconnecting). */
  get queuedMessages(): number {
    return this.channel.backlogCount;
  }

  /** Connects and resolves when HandshakeComplete arrived; rejects with an SsmSessionError. */
  async start(): Promise<void> {
    this.handshakeTimer = this.clock.setTimeout(
      () =>
        this.fail(
          new HandshakeTimeoutError(this.sessionId, Math.round(this.tuning.handshakeTimeoutMs / 1000)),
        ),
      this.tuning.handshakeTimeoutMs,
    );
    void this.establish(this.tokenValue);
    await this.handshake;
  }

  /** Sends bytes as Output messages. Returns false when the caller should wait for `drain`. */
  write(data: Buffer): boolean {
    if (!this.isOpen) return false;
    const size = this.tuning.maxPayloadSize;
    let hasRoom = true;
    for (let offset = 0; offset < data.length; offset += size) {
      hasRoom = this.channel.send(PayloadType.Output, data.subarray(offset, offset + size));
    }
    return hasRoom;
  }

  /** Shell sessions: the terminal's size (the agent resizes its pty). */
  sendSize(cols: number, rows: number): void {
    if (this.isOpen) this.channel.send(PayloadType.Size, encodeSizePayload(cols, rows));
  }

  sendFlag(flag: FlagCodeValue): void {
    if (this.isOpen) this.channel.send(PayloadType.Flag, encodeFlagPayload(flag));
  }

  setReceiver(receiver: SessionReceiver): void {
    this.receiver = receiver;
    const pending = this.pendingInbound;
    this.pendingInbound = [];
    this.pendingInboundBytes = 0;
    for (const chunk of pending) receiver.onData(chunk);
    this.channel.resumeDelivery();
  }

  /** Tell the session the receiver is ready again after `state()` was not `ready`. */
  receiverReady(): void {
    this.channel.resumeDelivery();
  }

  /** Resolves true once all our data has been acknowledged (false after `timeoutMs`). */
  drain(timeoutMs: number = this.tuning.drainTimeoutMs): Promise<boolean> {
    return this.channel.whenIdle(timeoutMs);
  }

  /**
   * Ends the session from our side: waits briefly for our data to be acknowledged, sends the
   * TerminateSession flag (agents that understand it), then calls the TerminateSession API.
   */
  terminate(): Promise<void> {
    this.terminating ??= this.terminateOnce();
    return this.terminating;
  }

  private async terminateOnce(): Promise<void> {
    if (this.endResult) return;
    if (this.isOpen) {
      await this.channel.whenIdle(this.tuning.drainTimeoutMs);
      if (agentSupportsTerminateFlag(this.agentVersion) && this.isOpen) {
        this.channel.send(PayloadType.Flag, encodeFlagPayload(FlagCode.TerminateSession));
        await this.channel.whenIdle(1000);
      }
    }
    if (this.options.terminate && !this.endResult) {
      try {
        await this.options.terminate();
      } catch (error) {
        this.log.warn(`TerminateSession failed for ${this.sessionId}: ${(error as Error).message}`);
      }
    }
    this.end({ kind: 'closed-locally' });
  }

  /** Ends immediately without telling the agent (it sees the connection drop). */
  close(): void {
    this.end({ kind: 'closed-locally' });
  }

  private admit(message: ClientMessage): Admission {
    if (message.payloadType !== PayloadType.Output) return 'deliver';
    if (!this.receiver)
      return this.pendingInboundBytes < this.tuning.inboundHighWaterBytes ? 'deliver' : 'hold';
    const state = this.receiver.state();
    if (state === 'ready') return 'deliver';
    return state === 'busy' ? 'hold' : 'refuse';
  }

  private deliver(message: ClientMessage): void {
    try {
      this.dispatch(message);
    } catch (error) {
      if (error instanceof SsmSessionError) this.fail(error);
      else this.log.warn(`Ignoring payload type ${message.payloadType}: ${(error as Error).message}`);
    }
  }

  private dispatch(message: ClientMessage): void {
    switch (message.payloadType) {
      case PayloadType.Output:
        this.deliverOutput(message.payload);
        return;
      case PayloadType.HandshakeRequest:
        this.answerHandshake(message.payload);
        return;
      case PayloadType.HandshakeComplete:
        this.completeHandshake(message.payload);
        return;
      case PayloadType.Flag:
        this.emit('flag', parseFlagPayload(message.payload));
        return;
      case PayloadType.StdErr:
        this.emit('stderr', compactBuffer(message.payload));
        return;
      case PayloadType.ExitCode: {
        const code = parseExitCodePayload(message.payload);
        if (code !== undefined) this.emit('exitCode', code);
        return;
      }
      case PayloadType.EncChallengeRequest:
        throw new HandshakeRefusedError(this.sessionId, [
          'KMS encryption is not supported for Port sessions.',
        ]);
      default:
        this.log.debug(`Ignoring payload type ${message.payloadType} (seq ${message.sequenceNumber}).`);
    }
  }

  private deliverOutput(payload: Buffer): void {
    this.timings.firstOutputAt ??= this.clock.now();
    // Standard_Stream sessions have no handshake (the agent's standardstream plugin does not
    // require one, agent/session/plugins/standardstream): the first Output says it is a shell, as
    // in the AWS plugin's sessionhandler.go.
    if (!this.handshakeComplete && !this.sessionType) {
      if (this.kind !== 'shell') {
        throw new HandshakeRefusedError(this.sessionId, [
          'The agent started a shell session (Standard_Stream sends output without a handshake).',
        ]);
      }
      this.sessionType = 'Standard_Stream';
      this.mode = 'shell';
      this.log.debug('Output before any handshake: a shell session without handshake.');
      this.markReady();
    }
    if (this.receiver) {
      this.receiver.onData(payload);
      return;
    }
    this.pendingInbound.push(compactBuffer(payload));
    this.pendingInboundBytes += payload.length;
  }

  private answerHandshake(payload: Buffer): void {
    const decision = decideHandshake(
      parseHandshakeRequest(payload),
      this.options.clientVersion ?? CLIENT_VERSION,
      this.kind,
    );
    this.channel.send(PayloadType.HandshakeResponse, encodeHandshakeResponse(decision.response));
    if (!decision.accepted) throw new HandshakeRefusedError(this.sessionId, decision.refusals, this.kind);
    this.agentVersion = decision.agentVersion;
    this.sessionType = decision.sessionType;
    this.properties = decision.properties;
    this.mode = sessionModeOf(decision.sessionType, decision.properties, decision.agentVersion);
    this.log.debug(
      `Handshake: agent ${decision.agentVersion || '(unknown)'}, properties ${JSON.stringify(decision.properties)}, ` +
        `mode ${this.mode}.`,
    );
  }

  private completeHandshake(payload: Buffer): void {
    const complete = parseHandshakeComplete(payload);
    if (complete.customerMessage) this.log.info(complete.customerMessage);
    this.markReady();
  }

  private markReady(): void {
    if (this.handshakeComplete) return;
    this.handshakeComplete = true;
    this.timings.handshakeCompletedAt = this.clock.now();
    this.clearHandshakeTimer();
    this.resolveHandshake();
  }

  private handleControlMessage(message: DecodedClientMessage): void {
    if (message.messageType !== MessageType.ChannelClosed) {
      this.log.debug(`Ignoring ${message.messageType} message.`);
      return;
    }
    const closed = parseChannelClosedPayload(message.payload);
    const isError = channelClosedLooksLikeError(closed.output);
    this.log.info(
      closed.output ? `Session ${this.sessionId}: ${closed.output}` : `Session ${this.sessionId} was closed.`,
    );
    if (!this.handshakeComplete) {
      this.fail(
        new SessionClosedByServiceError(this.sessionId, closed.output || 'before the handshake completed'),
      );
      return;
    }
    this.end({ kind: 'channel-closed', output: closed.output, isError });
  }

  /** Connects (first with `firstToken`, then with fresh tokens from ResumeSession) until it works or the budget is spent. */
  private async establish(firstToken: string | undefined): Promise<void> {
    const lostAt = this.clock.now();
    const backoff = new ReconnectBackoff({
      initialDelayMs: this.tuning.reconnectInitialDelayMs,
      maxDelayMs: this.tuning.reconnectMaxDelayMs,
      budgetMs: this.tuning.reconnectBudgetMs,
    });
    let token = firstToken;
    while (!this.endResult) {
      try {
        token ??= await this.freshToken();
        const connection = await this.connect(token);
        if (this.endResult) {
          connection.close();
          return;
        }
        this.useConnection(connection);
        return;
      } catch (error) {
        if (error instanceof SsmSessionError) {
          this.fail(error);
          return;
        }
        token = undefined;
        const delay = backoff.next(this.clock.now() - lostAt);
        if (delay === undefined) {
          this.fail(this.connectionFailure(error));
          return;
        }
        this.log.info(
          `Cannot reach the data channel (${(error as Error).message}); retrying in ${Math.round(delay)} ms.`,
        );
        await this.wait(delay);
      }
    }
  }

  private connectionFailure(error: unknown): SsmSessionError {
    if (
      error instanceof DataChannelUpgradeError &&
      error.httpStatus &&
      error.httpStatus >= 400 &&
      error.httpStatus < 500
    ) {
      return new DataChannelRejectedError(this.sessionId, error.httpStatus);
    }
    return new ConnectionLostError(this.sessionId, (error as Error).message, error);
  }

  private async freshToken(): Promise<string> {
    if (!this.options.resume || isPresignedStreamUrl(this.options.streamUrl)) return this.tokenValue;
    const resumed = await this.options.resume();
    if (!resumed.tokenValue) throw new SessionTimedOutError(this.sessionId);
    if (resumed.streamUrl && resumed.streamUrl !== this.options.streamUrl) {
      this.log.debug(
        'ResumeSession returned a different StreamUrl; keeping the original one, as the AWS plugin does.',
      );
    }
    this.tokenValue = resumed.tokenValue;
    return resumed.tokenValue;
  }

  private async connect(token: string): Promise<DataChannelConnection> {
    const url = this.options.streamUrl;
    const headers =
      this.options.signer && !isPresignedStreamUrl(url)
        ? await this.options.signer.signUpgrade(url)
        : undefined;
    return connectDataChannel({
      url,
      tokenValue: token,
      clientId: this.options.clientId ?? processClientId,
      clientVersion: this.options.clientVersion ?? CLIENT_VERSION,
      headers,
      onFrame: (frame) => this.channel.receive(frame),
      log: this.log,
      connectTimeoutMs: this.tuning.connectTimeoutMs,
      keepaliveIntervalMs: this.tuning.keepaliveIntervalMs,
      readCoalesceMs: this.tuning.readCoalesceMs,
      readCoalesceWhileStreaming: this.tuning.readCoalesceWhileStreaming,
      readCoalesceSustainedMs: this.tuning.readCoalesceSustainedMs,
      readCoalesceSustainedAfterMs: this.tuning.readCoalesceSustainedAfterMs,
      mayHoldReads: () => this.channel.inFlightCount < HOLD_READS_BELOW_IN_FLIGHT,
      mayHoldReadsLong: () => this.channel.unacknowledgedBytes < LONG_HOLD_BELOW_UNACKNOWLEDGED_BYTES,
      maxMissedPongs: this.tuning.maxMissedPongs,
    });
  }

  private useConnection(connection: DataChannelConnection): void {
    const reconnected = this.timings.connectedAt !== undefined;
    this.timings.connectedAt ??= this.clock.now();
    this.connection = connection;
    this.channel.attach(connection);
    void connection.ended.then((end) => this.onConnectionEnded(connection, end));
    if (reconnected) {
      this.log.info(`Session ${this.sessionId} resumed.`);
      this.emit('reconnected');
    }
  }

  private onConnectionEnded(connection: DataChannelConnection, end: ConnectionEnd): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    this.channel.detach();
    if (this.endResult || end.reason === 'local-close') return;
    const detail = `${end.reason}${end.code ? ` ${end.code}` : ''}${end.detail ? ` ${end.detail}` : ''}`;
    this.log.info(`Data channel of session ${this.sessionId} lost (${detail}); resuming.`);
    this.emit('reconnecting', detail);
    void this.establish(undefined);
  }

  private wait(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.pendingWaits.delete(done);
        resolve();
      };
      this.pendingWaits.add(done);
      this.clock.setTimeout(done, delayMs);
    });
  }

  private clearHandshakeTimer(): void {
    if (this.handshakeTimer) this.clock.clearTimeout(this.handshakeTimer);
    this.handshakeTimer = undefined;
  }

  private fail(error: SsmSessionError): void {
    this.log.debug(`Session ${this.sessionId} failed: ${error.message}`);
    this.end({ kind: 'failed', error });
  }

  private end(result: SessionEnd): void {
    if (this.endResult) return;
    this.endResult = result;
    this.clearHandshakeTimer();
    this.channel.close();
    this.connection?.close();
    this.connection = undefined;
    for (const wake of [...this.pendingWaits]) wake();
    if (!this.handshakeComplete) {
      this.rejectHandshake(
        result.kind === 'failed'
          ? result.error
          : new ConnectionLostError(this.sessionId, 'the session was closed before its handshake completed'),
      );
    }
    this.resolveEnded(result);
  }
}

/** Opens a Port session and resolves once the agent's handshake has completed. */
export async function openSession(options: OpenSessionOptions): Promise<SsmSession> {
  const session = new SsmSession(options);
  try {
    await session.start();
  } catch (error) {
    session.close();
    throw error;
  }
  return session;
}
