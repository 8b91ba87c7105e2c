import { EventEmitter } from 'node:events';
import type { Logger } from '../util/logger';
import { encodeAcknowledgeFrame } from './acknowledgeFrame';
import { parseAcknowledgePayload } from './acknowledgePayload';
import type { ClientMessage, DecodedClientMessage } from './clientMessage';
import { decodeClientMessage, encodeClientMessage, newClientMessage } from './clientMessage';
import type { Clock, TimerHandle } from './clock';
import { systemClock } from './clock';
import { FRAME_HEADER_SIZE, HeaderFlags, MessageType } from './protocolConstants';
import { compactBuffer } from './compactBuffer';
import { RtoEstimator } from './rtoEstimator';

/** Where encoded frames go: the current WebSocket, replaced on every reconnect. */
export interface FrameSink {
  send(frame: Buffer): void;
  /** Bytes accepted but not yet written to the network. */
  readonly bufferedAmount?: number;
}

/**
 * Whether the consumer takes an in-order message now:
 * - `deliver`: consume it now (it is acknowledged);
 * - `hold`: the consumer is busy; acknowledge and keep it in the receive buffer while that has room;
 * - `refuse`: the consumer is absent (e.g. no local connection); neither acknowledge nor keep it,
 *   so the sender retransmits it later.
 */
export type Admission = 'deliver' | 'hold' | 'refuse';

/** The consumer of in-order stream messages. */
export interface StreamDelivery {
  admit(message: ClientMessage): Admission;
  deliver(message: ClientMessage): void;
}

export interface ReliableChannelOptions {
  /** Stream type we send (`input_stream_data` on the client). */
  outgoingType: string;
  /** Stream type we receive and acknowledge (`output_stream_data` on the client). */
  incomingType: string;
  delivery: StreamDelivery;
  /** channel_closed and any other non-stream, non-ack, non-publication message. */
  onControlMessage: (message: DecodedClientMessage) => void;
  /** Called once when a message stays unacknowledged for `retransmitGiveUpMs` while connected. */
  onGiveUp: () => void;
  log: Logger;
  clock?: Clock;
  maxInFlight?: number;
  /** Payload bytes allowed unacknowledged or queued (bounds memory with large messages). */
  maxInFlightBytes?: number;
  /** Receive buffer (out-of-order and held messages) limits. */
  maxOutOfOrder?: number;
  maxOutOfOrderBytes?: number;
  retransmitGiveUpMs?: number;
  /**
   * Largest payload the caller sends. Frames for payloads this large (>= 4 KiB) are written into
   * reused buffers: otherwise every message allocates a fresh one outside Node's slab pool.
   */
  maxPayloadSize?: number;
}

interface InFlightEntry {
  readonly frame: Buffer;
  readonly payloadLength: number;
  /** The reusable buffer `frame` was written into, returned to the pool once acknowledged. */
  readonly pooled?: Buffer;
  lastSentAt: number;
  firstSentAt: number;
  /** Timeouts so far; each doubles the wait before the next resend. */
  backoff: number;
  /** Sent more than once, so its ack is no valid RTT sample (Karn). */
  ambiguous: boolean;
}

interface PendingStreamMessage {
  readonly payloadType: number;
  readonly payload: Buffer;
}

export interface ReliableChannelStats {
  sent: number;
  retransmitted: number;
  received: number;
  duplicatesReceived: number;
  outOfOrderReceived: number;
  anomalies: number;
}

interface ReliableChannelEvents {
  drain: [];
  idle: [];
  closed: [];
}

const DEFAULT_MAX_IN_FLIGHT = 512;
const DEFAULT_MAX_OUT_OF_ORDER = 10_000;
const DEFAULT_MAX_OUT_OF_ORDER_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_IN_FLIGHT_BYTES = 4 * 1024 * 1024;
const DEFAULT_GIVE_UP_MS = 5 * 60_000;
const ANOMALY_LOG_LIMIT = 5;
const MAX_BACKOFF_EXPONENT = 4;
const POOLED_PAYLOAD_THRESHOLD = 4096;
/**
 * Incoming digests are checked on a channel's first messages only. A mismatch is only logged (real
 * peers are known to get digests wrong), AWS's agent never checks the ones it receives, and TLS
 * already guards the bytes; the first messages tell whether a peer computes them wrongly, and
 * hashing every 1 KiB the agent sends cost a tenth of a download's CPU.
 */
const DIGEST_CHECKS = 64;
/**
 * The AWS peers check for timeouts on a 100 ms tick, so neither resends sooner than that however
 * small the estimated RTO. We keep that floor: resending every expired message (rather than only
 * the oldest) without it floods a peer that is merely busy.
 */
const MIN_RETRANSMIT_TIMEOUT_MS = 100;
/** While this much is still queued in the socket, the missing acks say nothing about the network. */
const SINK_BACKLOG_LIMIT = 1024 * 1024;

/**
 * The data channel's reliability layer for one direction pair: per-message selective acks, in-order
 * delivery through a bounded receive buffer (out-of-order and held messages), re-acks of duplicates,
 * retransmission of every timed-out message, a bounded number of unacknowledged messages (callers
 * get `false` from `send` and a `drain` event, like a Writable), and pause/start publication.
 * It outlives WebSocket connections: `attach` a new sink after a reconnect and every unacknowledged
 * message is sent again with its original sequence number.
 *
 * Timing: the RTO is estimated exactly as in src/ssm/PROTOCOL.md §4.5. Unlike the AWS plugin we skip
 * RTT samples from retransmitted messages (Karn), never resend sooner than 100 ms (the AWS peers'
 * scheduler tick), and double a message's timeout after each of its timeouts. Without these, resending
 * every expired message (instead of only the oldest, as the plugin does) floods a peer that is busy.
 */
export class ReliableChannel extends EventEmitter<ReliableChannelEvents> {
  readonly stats: ReliableChannelStats = {
    sent: 0,
    retransmitted: 0,
    received: 0,
    duplicatesReceived: 0,
    outOfOrderReceived: 0,
    anomalies: 0,
  };
  private readonly rtt = new RtoEstimator();
  private readonly clock: Clock;
  private readonly maxInFlight: number;
  private readonly maxInFlightBytes: number;
  private readonly lowWater: number;
  private inFlightBytes = 0;
  private backlogBytes = 0;
  private readonly maxOutOfOrder: number;
  private readonly maxOutOfOrderBytes: number;
  private outOfOrderBytes = 0;
  private readonly giveUpMs: number;
  private readonly inFlight = new Map<number, InFlightEntry>();
  private readonly framePool: Buffer[] = [];
  private readonly pooledFrameSize: number;
  private readonly outOfOrder = new Map<number, ClientMessage>();
  private backlog: PendingStreamMessage[] = [];
  private backlogHead = 0;
  private sink: FrameSink | undefined;
  private nextOutgoingSequence = 0;
  private expectedSequence = 0;
  private paused = false;
  private needDrain = false;
  private closed = false;
  private gaveUp = false;
  private retransmitTimer: TimerHandle | undefined;
  private digestChecksLeft = DIGEST_CHECKS;

  constructor(private readonly options: ReliableChannelOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.maxInFlightBytes = options.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT_BYTES;
    this.lowWater = Math.max(1, Math.floor(this.maxInFlight / 2));
    this.maxOutOfOrder = options.maxOutOfOrder ?? DEFAULT_MAX_OUT_OF_ORDER;
    this.maxOutOfOrderBytes = options.maxOutOfOrderBytes ?? DEFAULT_MAX_OUT_OF_ORDER_BYTES;
    this.giveUpMs = options.retransmitGiveUpMs ?? DEFAULT_GIVE_UP_MS;
    const maxPayload = options.maxPayloadSize ?? 0;
    this.pooledFrameSize = maxPayload >= POOLED_PAYLOAD_THRESHOLD ? FRAME_HEADER_SIZE + maxPayload : 0;
  }

  get rto(): number {
    return this.rtt.rto;
  }
  get inFlightCount(): number {
    return this.inFlight.size;
  }
  /** Payload bytes sent and not yet acknowledged. */
  get unacknowledgedBytes(): number {
    return this.inFlightBytes;
  }
  get backlogCount(): number {
    return this.backlog.length - this.backlogHead;
  }
  get isPaused(): boolean {
    return this.paused;
  }
  get isAttached(): boolean {
    return this.sink !== undefined;
  }
  /** Sequence number the next received stream message must carry to be delivered. */
  get expectedIncomingSequence(): number {
    return this.expectedSequence;
  }
  get nextOutgoingSequenceNumber(): number {
    return this.nextOutgoingSequence;
  }

  /** Starts using a (new) connection: resends everything unacknowledged, then the backlog. */
  attach(sink: FrameSink): void {
    if (this.closed) return;
    this.sink = sink;
    const now = this.clock.now();
    for (const entry of this.inFlight.values()) {
      entry.lastSentAt = now;
      entry.firstSentAt = now;
      entry.ambiguous = true;
      this.transmit(entry.frame);
      this.stats.retransmitted += 1;
    }
    this.pump();
    this.armRetransmitTimer();
  }

  detach(): void {
    this.sink = undefined;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sink = undefined;
    this.cancelRetransmitTimer();
    this.emit('closed');
  }

  /**
   * Queues one stream message. Returns false once the caller should stop producing until `drain`
   * (the number of unacknowledged plus queued messages reached the limit).
   */
  send(payloadType: number, payload: Buffer): boolean {
    this.backlog.push({ payloadType, payload });
    this.backlogBytes += payload.length;
    this.pump();
    const hasRoom = this.hasRoomBelow(this.maxInFlight, this.maxInFlightBytes);
    if (!hasRoom) this.needDrain = true;
    return hasRoom;
  }

  /** Resolves true once everything sent has been acknowledged; false after `timeoutMs` or on close. */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const settle = (idle: boolean): void => {
        this.clock.clearTimeout(timer);
        this.off('idle', onIdle);
        this.off('closed', onClosed);
        resolve(idle);
      };
      const onIdle = (): void => settle(true);
      const onClosed = (): void => settle(false);
      const timer = this.clock.setTimeout(() => settle(false), timeoutMs);
      this.once('idle', onIdle);
      this.once('closed', onClosed);
    });
  }

  /** The consumer became ready again: deliver what the out-of-order buffer already holds. */
  resumeDelivery(): void {
    this.deliverBuffered();
  }

  receive(frame: Buffer): void {
    if (this.closed) return;
    let message: DecodedClientMessage;
    try {
      message = decodeClientMessage(frame, this.digestChecksLeft > 0);
      if (this.digestChecksLeft > 0) this.digestChecksLeft -= 1;
    } catch (error) {
      this.options.log.warn((error as Error).message);
      return;
    }
    if (message.anomalies.length > 0) this.reportAnomalies(message);
    switch (message.messageType) {
      case MessageType.Acknowledge:
        this.handleAcknowledge(message);
        return;
      case this.options.incomingType:
        this.handleStreamMessage(message);
        return;
      case MessageType.PausePublication:
        this.options.log.debug('The service paused publication; holding back new data and retransmissions.');
        this.paused = true;
        return;
      case MessageType.StartPublication:
        this.resumePublication();
        return;
      default:
        this.options.onControlMessage(message);
    }
  }

  private isIdle(): boolean {
    return this.inFlight.size === 0 && this.backlogCount === 0;
  }

  private reportAnomalies(message: DecodedClientMessage): void {
    this.stats.anomalies += 1;
    if (this.stats.anomalies <= ANOMALY_LOG_LIMIT) {
      this.options.log.warn(
        `Received ${message.messageType} seq ${message.sequenceNumber} with ${message.anomalies.join(', ')}; ` +
          'accepting it anyway.',
      );
    }
  }

  private resumePublication(): void {
    if (!this.paused) return;
    this.paused = false;
    const now = this.clock.now();
    for (const entry of this.inFlight.values()) entry.firstSentAt = now;
    this.pump();
    this.cancelRetransmitTimer();
    this.armRetransmitTimer(0);
  }

  private handleStreamMessage(message: DecodedClientMessage): void {
    this.resumePublication();
    this.stats.received += 1;
    const sequence = message.sequenceNumber;
    if (sequence < this.expectedSequence || this.outOfOrder.has(sequence)) {
      this.stats.duplicatesReceived += 1;
      this.acknowledge(message);
      return;
    }
    if (sequence > this.expectedSequence) {
      if (this.storeInReceiveBuffer(message)) this.stats.outOfOrderReceived += 1;
      return;
    }
    const admission = this.options.delivery.admit(message);
    if (admission === 'refuse') return;
    if (admission === 'hold') {
      this.storeInReceiveBuffer(message);
      return;
    }
    this.acknowledge(message);
    this.expectedSequence += 1;
    this.options.delivery.deliver(message);
    this.deliverBuffered();
  }

  /** Keeps (and acknowledges) a message for later delivery if the receive buffer has room. */
  private storeInReceiveBuffer(message: ClientMessage): boolean {
    const full =
      this.outOfOrder.size >= this.maxOutOfOrder ||
      this.outOfOrderBytes + message.payload.length > this.maxOutOfOrderBytes;
    if (full) return false;
    // A copy without the received frame, whose buffer may hold many more messages.
    this.outOfOrder.set(message.sequenceNumber, {
      messageType: message.messageType,
      schemaVersion: message.schemaVersion,
      createdDate: message.createdDate,
      sequenceNumber: message.sequenceNumber,
      flags: message.flags,
      messageId: message.messageId,
      payloadType: message.payloadType,
      payload: compactBuffer(message.payload),
    });
    this.outOfOrderBytes += message.payload.length;
    this.acknowledge(message);
    return true;
  }

  private deliverBuffered(): void {
    for (;;) {
      const next = this.outOfOrder.get(this.expectedSequence);
      if (!next || this.closed || this.options.delivery.admit(next) !== 'deliver') return;
      this.outOfOrder.delete(this.expectedSequence);
      this.outOfOrderBytes -= next.payload.length;
      this.expectedSequence += 1;
      this.options.delivery.deliver(next);
    }
  }

  private acknowledge(message: ClientMessage): void {
    if (!this.sink) return;
    this.transmit(encodeAcknowledgeFrame(message, Date.now()));
  }

  private handleAcknowledge(message: DecodedClientMessage): void {
    this.resumePublication();
    let sequence: number;
    try {
      sequence = parseAcknowledgePayload(message.payload).acknowledgedSequenceNumber;
    } catch (error) {
      this.options.log.warn((error as Error).message);
      return;
    }
    const entry = this.inFlight.get(sequence);
    if (!entry) return;
    if (!entry.ambiguous) this.rtt.addSample(this.clock.now() - entry.lastSentAt);
    this.inFlight.delete(sequence);
    this.inFlightBytes -= entry.payloadLength;
    // A frame sent more than once may still sit in a socket's write queue (frames leave unmasked and
    // uncopied on TLS and loopback), so only a frame sent exactly once is safe to overwrite.
    if (entry.pooled && !entry.ambiguous && this.framePool.length < this.maxInFlight)
      this.framePool.push(entry.pooled);
    this.pump();
    if (this.needDrain && this.hasRoomBelow(this.lowWater + 1, this.maxInFlightBytes / 2)) {
      this.needDrain = false;
      this.emit('drain');
    }
    if (this.isIdle()) this.emit('idle');
  }

  private pump(): void {
    if (!this.sink || this.paused || this.closed) return;
    const startHead = this.backlogHead;
    while (this.backlogHead < this.backlog.length && this.canTransmitMore()) {
      this.transmitNew(this.backlog[this.backlogHead]);
      this.backlogHead += 1;
    }
    if (this.backlogHead === startHead) return;
    if (this.backlogHead === this.backlog.length) {
      this.backlog = [];
      this.backlogHead = 0;
    } else if (this.backlogHead > 1024 && this.backlogHead * 2 > this.backlog.length) {
      this.backlog = this.backlog.slice(this.backlogHead);
      this.backlogHead = 0;
    }
    this.armRetransmitTimer();
  }

  private transmitNew(pending: PendingStreamMessage): void {
    const sequenceNumber = this.nextOutgoingSequence;
    this.nextOutgoingSequence += 1;
    const pooled = this.takePooledFrame(pending.payload.length);
    const frame = encodeClientMessage(
      newClientMessage({
        messageType: this.options.outgoingType,
        sequenceNumber,
        flags: HeaderFlags.None,
        payloadType: pending.payloadType,
        payload: pending.payload,
      }),
      pooled,
    );
    this.backlogBytes -= pending.payload.length;
    this.inFlightBytes += pending.payload.length;
    const now = this.clock.now();
    this.inFlight.set(sequenceNumber, {
      frame,
      pooled,
      payloadLength: pending.payload.length,
      lastSentAt: now,
      firstSentAt: now,
      backoff: 0,
      ambiguous: false,
    });
    this.stats.sent += 1;
    this.transmit(frame);
  }

  private transmit(frame: Buffer): void {
    this.sink?.send(frame);
  }

  /** Room while (in flight + queued) stays under both limits. */
  private hasRoomBelow(messages: number, bytes: number): boolean {
    return (
      this.inFlight.size + this.backlogCount < messages && this.inFlightBytes + this.backlogBytes < bytes
    );
  }

  private canTransmitMore(): boolean {
    return this.inFlight.size < this.maxInFlight && this.inFlightBytes < this.maxInFlightBytes;
  }

  private takePooledFrame(payloadLength: number): Buffer | undefined {
    if (this.pooledFrameSize === 0 || payloadLength < POOLED_PAYLOAD_THRESHOLD) return undefined;
    return this.framePool.pop() ?? Buffer.allocUnsafe(this.pooledFrameSize);
  }

  /** The §4.5 RTO, but never below the peers' 100 ms scheduling floor. */
  private get retransmitTimeout(): number {
    return Math.max(this.rtt.rto, MIN_RETRANSMIT_TIMEOUT_MS);
  }

  private armRetransmitTimer(delayMs = this.retransmitTimeout): void {
    if (this.retransmitTimer || this.inFlight.size === 0 || this.closed) return;
    // The check runs deferred (after pending I/O) so acks that already arrived are counted first.
    this.retransmitTimer = this.clock.setTimeout(() => {
      this.retransmitTimer = undefined;
      this.clock.setImmediate(() => this.retransmitExpired());
    }, delayMs);
  }

  private cancelRetransmitTimer(): void {
    if (!this.retransmitTimer) return;
    this.clock.clearTimeout(this.retransmitTimer);
    this.retransmitTimer = undefined;
  }

  /**
   * Resends every message whose timeout passed, not only the oldest. The timeout is the §4.5 RTO
   * (at least 100 ms), doubled per earlier timeout of that message, so a slow peer is not flooded.
   */
  private retransmitExpired(): void {
    if (this.closed || this.retransmitTimer) return;
    if (!this.sink || this.paused) return;
    const rto = this.retransmitTimeout;
    if ((this.sink.bufferedAmount ?? 0) > SINK_BACKLOG_LIMIT) {
      this.armRetransmitTimer(rto);
      return;
    }
    const now = this.clock.now();
    let nextDeadline = Number.POSITIVE_INFINITY;
    for (const entry of this.inFlight.values()) {
      let timeout = rto * 2 ** Math.min(entry.backoff, MAX_BACKOFF_EXPONENT);
      if (now - entry.lastSentAt >= timeout) {
        if (now - entry.firstSentAt >= this.giveUpMs) {
          this.giveUp();
          return;
        }
        entry.lastSentAt = now;
        entry.backoff += 1;
        entry.ambiguous = true;
        timeout *= entry.backoff <= MAX_BACKOFF_EXPONENT ? 2 : 1;
        this.stats.retransmitted += 1;
        this.transmit(entry.frame);
      }
      nextDeadline = Math.min(nextDeadline, entry.lastSentAt + timeout);
    }
    if (this.inFlight.size > 0) this.armRetransmitTimer(Math.max(1, nextDeadline - now));
  }

  private giveUp(): void {
    if (this.gaveUp) return;
    this.gaveUp = true;
    this.cancelRetransmitTimer();
    this.options.onGiveUp();
  }
}
