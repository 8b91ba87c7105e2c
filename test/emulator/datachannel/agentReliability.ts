// Fake agent: retransmit policies, window, corrupt digests for test/unit/ssm (AWS's agent has one policy).
import { randomUUID } from 'node:crypto';
import type { TypePadding, WireFields } from './agentWire';
import { ackPayload, encodeAgentFrame } from './agentWire';

export type RetransmitPolicy = 'oldest' | 'all-expired';

/** How many recent sequence numbers per direction the strict checks remember (far above any window). */
const HISTORY = 50_000;

export interface AgentReliabilityOptions {
  /** Sends a frame toward the client; returns false when no client connection is attached. */
  transmit: (frame: Buffer, faultable: boolean) => boolean;
  /** Whether an in-order client message with this payload type is consumed now, kept (acked) or refused. */
  admit: (payloadType: number) => 'deliver' | 'hold' | 'refuse';
  deliver: (message: WireFields) => void;
  record: (violation: string) => void;
  retransmit: () => RetransmitPolicy;
  retransmitTickMs: number;
  maxInFlight: number;
  typePadding: () => TypePadding;
  corruptDigest: () => boolean;
  /** An ack freed a slot or publication resumed: more can be sent. */
  onWindowOpen: () => void;
}

interface Outgoing {
  frame: Buffer;
  lastSentAt: number;
  resends: number;
}

/**
 * The agent's side of src/ssm/PROTOCOL.md §4: acks on acceptance, re-acks duplicates, buffers out-of-order messages,
 * withholds acks while the target is not ready, retransmits at its RTO (the real agent resends the
 * oldest entry only; 'all-expired' is faster for big fault tests) and never gives up. Sending is
 * paused while the client is disconnected or the service paused publication.
 */
export class AgentReliability {
  readonly stats = { sent: 0, retransmitted: 0, received: 0, duplicates: 0, outOfOrder: 0, acksReceived: 0 };
  private nextSequence = 0;
  private expected = 0;
  private readonly outgoing = new Map<number, Outgoing>();
  /** Ids of recently sent messages (for strict checks of acks), pruned to HISTORY entries. */
  private readonly sentIds = new Map<number, string>();
  private readonly outOfOrder = new Map<number, WireFields>();
  private readonly clientDigests = new Map<number, string>();
  private srtt = 100;
  private rttvar = 0;
  private rto = 200;
  private paused = false;
  private ticker: NodeJS.Timeout | undefined;
  private readonly idleWaiters = new Set<() => void>();

  constructor(private readonly options: AgentReliabilityOptions) {}

  get inFlight(): number {
    return this.outgoing.size;
  }

  get hasWindow(): boolean {
    return !this.paused && this.outgoing.size < this.options.maxInFlight;
  }

  get expectedClientSequence(): number {
    return this.expected;
  }

  get nextAgentSequence(): number {
    return this.nextSequence;
  }

  setPaused(paused: boolean): void {
    const resumed = this.paused && !paused;
    this.paused = paused;
    if (resumed) this.options.onWindowOpen();
  }

  start(): void {
    this.ticker ??= setInterval(() => this.retransmitTick(), this.options.retransmitTickMs);
  }

  stop(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    for (const wake of this.idleWaiters) wake();
    this.idleWaiters.clear();
  }

  sendStream(payloadType: number, payload: Buffer): number {
    const sequenceNumber = this.nextSequence;
    this.nextSequence += 1;
    const messageId = randomUUID();
    this.sentIds.set(sequenceNumber, messageId);
    this.sentIds.delete(sequenceNumber - HISTORY);
    const frame = encodeAgentFrame({
      messageType: 'output_stream_data',
      sequenceNumber,
      flags: sequenceNumber === 0 ? 1 : 0,
      payloadType,
      payload,
      messageId,
      typePadding: this.options.typePadding(),
      corruptDigest: this.options.corruptDigest(),
    });
    this.outgoing.set(sequenceNumber, { frame, lastSentAt: performance.now(), resends: 0 });
    this.stats.sent += 1;
    if (!this.paused) this.options.transmit(frame, true);
    return sequenceNumber;
  }

  /** A client connection (re)attached: everything unacknowledged goes out again now. */
  resendAll(): void {
    const now = performance.now();
    for (const entry of this.outgoing.values()) {
      entry.lastSentAt = now;
      entry.resends += 1;
      this.stats.retransmitted += 1;
      this.options.transmit(entry.frame, true);
    }
  }

  /** Resolves when every message we sent is acknowledged, or after `timeoutMs`. */
  whenAcknowledged(timeoutMs: number): Promise<boolean> {
    if (this.outgoing.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.idleWaiters.delete(wake);
        resolve(this.outgoing.size === 0);
      };
      const timer = setTimeout(wake, timeoutMs);
      this.idleWaiters.add(wake);
    });
  }

  receiveStream(message: WireFields): void {
    this.setPaused(false);
    this.stats.received += 1;
    const sequence = Number(message.sequenceNumber);
    this.checkRetransmitIsIdentical(sequence, message.digest);
    if (sequence < this.expected || this.outOfOrder.has(sequence)) {
      this.stats.duplicates += 1;
      this.acknowledge(message);
      return;
    }
    if (sequence > this.expected) {
      if (sequence > this.expected + 100_000)
        this.options.record(`client seq ${sequence} is far ahead of ${this.expected}`);
      this.stats.outOfOrder += 1;
      this.outOfOrder.set(sequence, message);
      this.acknowledge(message);
      return;
    }
    const admission = this.options.admit(message.payloadType);
    if (admission === 'refuse') return;
    if (admission === 'hold') {
      this.outOfOrder.set(sequence, message);
      this.acknowledge(message);
      return;
    }
    this.acknowledge(message);
    this.expected += 1;
    this.options.deliver(message);
    this.deliverBuffered();
  }

  /** Call when the consumer became ready again (e.g. the target connection is up). */
  deliverBuffered(): void {
    for (;;) {
      const next = this.outOfOrder.get(this.expected);
      if (!next || this.options.admit(next.payloadType) !== 'deliver') return;
      this.outOfOrder.delete(this.expected);
      this.expected += 1;
      this.options.deliver(next);
    }
  }

  receiveAck(message: WireFields): void {
    this.setPaused(false);
    this.stats.acksReceived += 1;
    let ack: Record<string, unknown>;
    try {
      ack = JSON.parse(message.payload.toString('utf8')) as Record<string, unknown>;
    } catch {
      this.options.record('ack payload is not JSON');
      return;
    }
    const sequence = ack.AcknowledgedMessageSequenceNumber;
    if (typeof sequence !== 'number' || !Number.isInteger(sequence)) {
      this.options.record('ack without an integer AcknowledgedMessageSequenceNumber');
      return;
    }
    if (sequence >= this.nextSequence || sequence < 0) {
      this.options.record(`ack for seq ${sequence}, which the agent never sent`);
      return;
    }
    const sentId = this.sentIds.get(sequence);
    if (sentId !== undefined && ack.AcknowledgedMessageId !== sentId) {
      this.options.record(
        `ack for seq ${sequence} names MessageId ${String(ack.AcknowledgedMessageId)}, not ${sentId}`,
      );
    }
    if (ack.AcknowledgedMessageType !== 'output_stream_data') {
      this.options.record(
        `ack for seq ${sequence} has AcknowledgedMessageType ${String(ack.AcknowledgedMessageType)}`,
      );
    }
    if (ack.IsSequentialMessage !== true)
      this.options.record(`ack for seq ${sequence} lacks IsSequentialMessage true`);
    const entry = this.outgoing.get(sequence);
    if (!entry) return;
    if (entry.resends === 0 || this.options.retransmit() === 'oldest')
      this.sampleRtt(performance.now() - entry.lastSentAt);
    this.outgoing.delete(sequence);
    if (this.outgoing.size === 0) for (const wake of [...this.idleWaiters]) wake();
    this.options.onWindowOpen();
  }

  /** Compares the PayloadDigest field (strict mode separately checks it matches the payload). */
  private checkRetransmitIsIdentical(sequence: number, digestField: Buffer): void {
    const digest = digestField.toString('hex');
    const previous = this.clientDigests.get(sequence);
    if (previous === undefined) {
      this.clientDigests.set(sequence, digest);
      this.clientDigests.delete(sequence - HISTORY);
    } else if (previous !== digest)
      this.options.record(`client seq ${sequence} was sent again with different content`);
  }

  private acknowledge(message: WireFields): void {
    const frame = encodeAgentFrame({
      messageType: 'acknowledge',
      sequenceNumber: 0,
      flags: 3,
      payloadType: 0,
      payload: ackPayload({
        messageType: message.messageType,
        messageId: message.messageId,
        sequenceNumber: Number(message.sequenceNumber),
      }),
      typePadding: this.options.typePadding(),
    });
    this.options.transmit(frame, true);
  }

  private sampleRtt(sample: number): void {
    this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - sample);
    this.srtt = 0.875 * this.srtt + 0.125 * sample;
    this.rto = Math.min(1000, this.srtt + Math.max(10, 4 * this.rttvar));
  }

  private retransmitTick(): void {
    if (this.paused || this.outgoing.size === 0) return;
    const now = performance.now();
    const policy = this.options.retransmit();
    for (const entry of this.outgoing.values()) {
      // 'oldest' is the real agent: one entry, plain RTO. 'all-expired' backs off per message.
      const timeout =
        policy === 'oldest' ? this.rto : Math.max(this.rto, 100) * 2 ** Math.min(entry.resends, 4);
      if (now - entry.lastSentAt > timeout) {
        entry.lastSentAt = now;
        entry.resends += 1;
        this.stats.retransmitted += 1;
        this.options.transmit(entry.frame, true);
      }
      if (policy === 'oldest') return;
    }
  }
}
