import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import type { ClientMessage, DecodedClientMessage } from '../../../src/ssm/clientMessage';
import type { Admission } from '../../../src/ssm/reliableChannel';
import { ReliableChannel } from '../../../src/ssm/reliableChannel';
import { silentLogger } from '../../../src/util/logger';
import type { WireFields } from '../../emulator/datachannel/agentWire';
import { ackPayload, encodeAgentFrame, readWireFields } from '../../emulator/datachannel/agentWire';
import { ManualClock } from './support/manualClock';

/** Drives a client-side ReliableChannel with frames built by the fake agent's independent codec. */
class Harness {
  readonly clock = new ManualClock();
  readonly wire: Buffer[] = [];
  readonly delivered: ClientMessage[] = [];
  readonly controls: DecodedClientMessage[] = [];
  admission: Admission = 'deliver';
  gaveUp = 0;
  drains = 0;
  readonly channel: ReliableChannel;
  private readonly agentIds = new Map<number, string>();

  constructor(
    options: {
      maxInFlight?: number;
      maxOutOfOrder?: number;
      giveUpMs?: number;
      maxPayloadSize?: number;
    } = {},
  ) {
    this.channel = new ReliableChannel({
      outgoingType: 'input_stream_data',
      incomingType: 'output_stream_data',
      delivery: { admit: () => this.admission, deliver: (message) => this.delivered.push(message) },
      onControlMessage: (message) => this.controls.push(message),
      onGiveUp: () => (this.gaveUp += 1),
      log: silentLogger,
      clock: this.clock,
      maxInFlight: options.maxInFlight ?? 8,
      maxOutOfOrder: options.maxOutOfOrder,
      retransmitGiveUpMs: options.giveUpMs,
      maxPayloadSize: options.maxPayloadSize,
    });
    this.channel.on('drain', () => (this.drains += 1));
    this.channel.attach({ send: (frame) => this.wire.push(frame) });
  }

  /** Frames the client wrote, decoded independently, and forgets them. */
  take(): WireFields[] {
    const frames = this.wire.splice(0).map((frame) => readWireFields(frame));
    return frames.map((fields) => {
      assert.ok(fields);
      return fields;
    });
  }

  acksIn(frames: WireFields[]): number[] {
    return frames
      .filter((frame) => frame.messageType === 'acknowledge')
      .map((frame) => {
        assert.equal(frame.sequenceNumber, 0n);
        assert.equal(frame.flags, 3n);
        assert.equal(frame.payloadType, 0);
        const ack = JSON.parse(frame.payload.toString()) as Record<string, unknown>;
        assert.equal(ack.AcknowledgedMessageType, 'output_stream_data');
        assert.equal(ack.IsSequentialMessage, true);
        const sequence = ack.AcknowledgedMessageSequenceNumber as number;
        assert.equal(ack.AcknowledgedMessageId, this.agentIds.get(sequence));
        return sequence;
      });
  }

  streamIn(frames: WireFields[]): WireFields[] {
    return frames.filter((frame) => frame.messageType === 'input_stream_data');
  }

  agentData(sequence: number, text = `m${sequence}`): void {
    const messageId = this.agentIds.get(sequence) ?? randomUUID();
    this.agentIds.set(sequence, messageId);
    this.channel.receive(
      encodeAgentFrame({
        messageType: 'output_stream_data',
        sequenceNumber: sequence,
        flags: 0,
        payloadType: 1,
        payload: Buffer.from(text),
        messageId,
      }),
    );
  }

  agentAck(frame: WireFields): void {
    this.channel.receive(
      encodeAgentFrame({
        messageType: 'acknowledge',
        sequenceNumber: 0,
        flags: 3,
        payloadType: 0,
        payload: ackPayload({
          messageType: 'input_stream_data',
          messageId: frame.messageId,
          sequenceNumber: Number(frame.sequenceNumber),
        }),
      }),
    );
  }

  service(type: 'pause_publication' | 'start_publication' | 'channel_closed'): void {
    this.channel.receive(
      encodeAgentFrame({
        messageType: type,
        sequenceNumber: 0,
        flags: 0,
        payloadType: 0,
        payload: Buffer.alloc(0),
      }),
    );
  }

  deliveredTexts(): string[] {
    return this.delivered.map((message) => message.payload.toString());
  }

  send(count: number): boolean {
    let hasRoom = true;
    for (let i = 0; i < count; i += 1) hasRoom = this.channel.send(1, Buffer.from(`c${i}`));
    return hasRoom;
  }
}

describe('ssm reliable channel', () => {
  describe('receiving', () => {
    it('acknowledges every stream message and delivers them in order', () => {
      const h = new Harness();
      h.agentData(0);
      h.agentData(1);
      assert.deepEqual(h.acksIn(h.take()), [0, 1]);
      assert.deepEqual(h.deliveredTexts(), ['m0', 'm1']);
      assert.equal(h.channel.expectedIncomingSequence, 2);
    });

    it('buffers out-of-order messages, acks them at once, and delivers when the gap fills', () => {
      const h = new Harness();
      h.agentData(2);
      h.agentData(1);
      assert.deepEqual(h.acksIn(h.take()), [2, 1]);
      assert.deepEqual(h.deliveredTexts(), []);
      h.agentData(0);
      assert.deepEqual(h.acksIn(h.take()), [0]);
      assert.deepEqual(h.deliveredTexts(), ['m0', 'm1', 'm2']);
    });

    it('re-acknowledges duplicates without delivering them again', () => {
      const h = new Harness();
      h.agentData(0);
      h.agentData(3);
      h.take();
      h.agentData(0);
      h.agentData(3);
      assert.deepEqual(h.acksIn(h.take()), [0, 3]);
      assert.deepEqual(h.deliveredTexts(), ['m0']);
      assert.equal(h.channel.stats.duplicatesReceived, 2);
    });

    it('neither acknowledges nor keeps data while the consumer is absent', () => {
      const h = new Harness();
      h.admission = 'refuse';
      h.agentData(0);
      assert.deepEqual(h.take(), []);
      assert.deepEqual(h.deliveredTexts(), []);
      h.admission = 'deliver';
      h.channel.resumeDelivery();
      assert.deepEqual(h.deliveredTexts(), [], 'a refused message is gone until the agent resends it');
      h.agentData(0);
      assert.deepEqual(h.acksIn(h.take()), [0]);
      assert.deepEqual(h.deliveredTexts(), ['m0']);
    });

    it('acknowledges and holds data while the consumer is busy, then delivers it in order', () => {
      const h = new Harness();
      h.admission = 'hold';
      h.agentData(0);
      h.agentData(1);
      assert.deepEqual(h.acksIn(h.take()), [0, 1]);
      assert.deepEqual(h.deliveredTexts(), []);
      h.admission = 'deliver';
      h.channel.resumeDelivery();
      assert.deepEqual(h.deliveredTexts(), ['m0', 'm1']);
    });

    it('drops (without ack) what does not fit the receive buffer', () => {
      const h = new Harness({ maxOutOfOrder: 2 });
      h.agentData(1);
      h.agentData(2);
      h.agentData(3);
      assert.deepEqual(h.acksIn(h.take()), [1, 2]);
      h.agentData(0);
      assert.deepEqual(h.deliveredTexts(), ['m0', 'm1', 'm2']);
      h.agentData(3);
      assert.deepEqual(h.deliveredTexts(), ['m0', 'm1', 'm2', 'm3']);
    });

    it('passes channel_closed to the session and ignores garbage frames', () => {
      const h = new Harness();
      h.channel.receive(Buffer.from('garbage'));
      h.service('channel_closed');
      assert.equal(h.controls.length, 1);
      assert.equal(h.controls[0].messageType, 'channel_closed');
      assert.deepEqual(h.take(), []);
    });
  });

  describe('sending', () => {
    it('numbers stream messages from 0 with flags 0', () => {
      const h = new Harness();
      h.send(3);
      const frames = h.streamIn(h.take());
      assert.deepEqual(
        frames.map((f) => Number(f.sequenceNumber)),
        [0, 1, 2],
      );
      assert.deepEqual(
        frames.map((f) => f.flags),
        [0n, 0n, 0n],
      );
      assert.deepEqual(
        frames.map((f) => f.payload.toString()),
        ['c0', 'c1', 'c2'],
      );
    });

    it('limits unacknowledged messages and asks the producer to wait for drain', () => {
      const h = new Harness({ maxInFlight: 4 });
      assert.equal(h.send(3), true);
      assert.equal(h.channel.send(1, Buffer.from('x')), false, 'the fourth fills the window');
      assert.equal(h.channel.send(1, Buffer.from('y')), false);
      const first = h.streamIn(h.take());
      assert.equal(first.length, 4, 'only the window is on the wire');
      assert.equal(h.channel.backlogCount, 1);
      h.agentAck(first[0]);
      assert.deepEqual(
        h.streamIn(h.take()).map((f) => f.payload.toString()),
        ['y'],
      );
      assert.equal(h.drains, 0, 'still above the low-water mark');
      h.agentAck(first[1]);
      h.agentAck(first[2]);
      assert.equal(h.drains, 1);
    });

    it('also bounds the bytes in flight, so large messages cannot pile up', () => {
      const h = new Harness({ maxInFlight: 100 });
      const big = Buffer.alloc(1536 * 1024, 9);
      assert.equal(h.channel.send(1, big), true);
      assert.equal(h.channel.send(1, big), true);
      assert.equal(h.channel.send(1, big), false, 'over the 4 MiB budget');
      const sent = h.streamIn(h.take());
      assert.equal(sent.length, 3, 'the message that crosses the limit still goes out');
      assert.equal(h.channel.send(1, big), false);
      assert.equal(h.streamIn(h.take()).length, 0, 'nothing more until acks arrive');
      h.agentAck(sent[0]);
      assert.equal(h.streamIn(h.take()).length, 1);
      h.agentAck(sent[1]);
      assert.equal(h.drains, 0, 'drain waits for the low-water mark (half the budget)');
      h.agentAck(sent[2]);
      assert.equal(h.drains, 1);
    });

    it('resends every timed-out message byte for byte, then backs off', () => {
      const h = new Harness();
      h.send(3);
      const original = h.wire.map((frame) => Buffer.from(frame));
      h.take();
      h.clock.advance(199);
      assert.deepEqual(h.take(), [], 'nothing before the initial 200 ms RTO');
      h.clock.advance(1);
      assert.deepEqual(h.wire, original, 'all three resent identically');
      const resent = h.take();
      h.agentAck(resent[1]);
      h.clock.advance(200);
      assert.deepEqual(h.take(), [], 'the next resend waits twice the RTO');
      h.clock.advance(200);
      assert.deepEqual(
        h.streamIn(h.take()).map((f) => Number(f.sequenceNumber)),
        [0, 2],
      );
      assert.equal(h.channel.stats.retransmitted, 5);
    });

    it('reuses large frame buffers only after their ack, never corrupting what may be resent', () => {
      const h = new Harness({ maxPayloadSize: 8192 });
      const payload = (fill: number): Buffer => Buffer.alloc(6000, fill);
      h.channel.send(1, payload(1));
      h.channel.send(1, payload(2));
      const copies = h.wire.map((frame) => Buffer.from(frame));
      const [first] = h.streamIn(h.take());
      h.agentAck(first);
      h.channel.send(1, payload(3));
      h.channel.send(1, payload(4));
      const fresh = h.streamIn(h.take());
      assert.deepEqual(
        fresh.map((f) => f.payload[0]),
        [3, 4],
      );
      h.clock.advance(200);
      const resent = h.wire.splice(0);
      assert.deepEqual(resent[0], copies[1], 'the unacknowledged frame is intact');
      assert.deepEqual(
        resent.slice(1).map((frame) => readWireFields(frame)!.payload[0]),
        [3, 4],
      );
    });

    it('never recycles a frame that was sent twice: the resend may still be queued unmasked', () => {
      const h = new Harness({ maxPayloadSize: 8192 });
      h.channel.send(1, Buffer.alloc(6000, 1));
      const [original] = h.wire.splice(0);
      h.clock.advance(200);
      const [resend] = h.wire.splice(0);
      assert.equal(resend, original, 'the resend is the same buffer');
      h.agentAck(readWireFields(original)!);
      h.channel.send(1, Buffer.alloc(6000, 2));
      const [next] = h.wire.splice(0);
      assert.notEqual(next.buffer === original.buffer && next.byteOffset === original.byteOffset, true);
      assert.equal(readWireFields(original)!.payload[0], 1, 'the queued resend is intact');
    });

    it('samples the RTT from first transmissions only (Karn)', () => {
      const h = new Harness();
      h.send(2);
      const [first, second] = h.streamIn(h.take());
      h.clock.advance(40);
      h.agentAck(first);
      // RTTVAR = 0.25*|100-40| = 15, SRTT = 92.5, RTO = 92.5 + 60
      assert.equal(h.channel.rto, 152.5);
      h.clock.advance(200);
      assert.equal(h.streamIn(h.take()).length, 1, 'the second timed out and was resent');
      h.clock.advance(5);
      h.agentAck(second);
      assert.equal(h.channel.rto, 152.5, 'an ambiguous ack does not move the estimate');
    });

    it('holds new data and retransmissions while publication is paused', () => {
      const h = new Harness();
      h.service('pause_publication');
      assert.equal(h.channel.isPaused, true);
      h.send(2);
      assert.deepEqual(h.take(), []);
      h.service('start_publication');
      assert.equal(h.streamIn(h.take()).length, 2);
      h.service('pause_publication');
      h.clock.advance(1000);
      assert.deepEqual(h.take(), [], 'no retransmission while paused');
    });

    it('treats incoming data or an ack as the end of a pause', () => {
      const h = new Harness();
      h.send(1);
      const [frame] = h.streamIn(h.take());
      h.service('pause_publication');
      h.send(1);
      assert.deepEqual(h.take(), []);
      h.agentAck(frame);
      assert.equal(h.channel.isPaused, false);
      assert.equal(h.streamIn(h.take()).length, 1);
      h.service('pause_publication');
      h.send(1);
      h.agentData(0);
      assert.equal(h.streamIn(h.take()).length, 1);
    });

    it('queues while detached and resends everything unacknowledged on a new connection', () => {
      const h = new Harness();
      h.send(2);
      const [first] = h.streamIn(h.take());
      h.agentAck(first);
      h.channel.detach();
      h.send(1);
      h.clock.advance(5000);
      assert.deepEqual(h.take(), []);
      const second: Buffer[] = [];
      h.channel.attach({ send: (frame) => second.push(frame) });
      const frames = second.map((frame) => readWireFields(frame)!);
      assert.deepEqual(
        frames.map((f) => Number(f.sequenceNumber)),
        [1, 2],
      );
    });

    it('gives up once a message stays unacknowledged for the limit', () => {
      const h = new Harness({ giveUpMs: 3000 });
      h.send(1);
      h.clock.advance(2900);
      assert.equal(h.gaveUp, 0);
      h.clock.advance(2000);
      assert.equal(h.gaveUp, 1);
    });

    it('reports idle once everything is acknowledged', async () => {
      const h = new Harness();
      h.send(2);
      const frames = h.streamIn(h.take());
      const idle = h.channel.whenIdle(10_000);
      for (const frame of frames) h.agentAck(frame);
      assert.equal(await idle, true);
      h.send(1);
      const timedOut = h.channel.whenIdle(50);
      h.clock.advance(60);
      assert.equal(await timedOut, false);
    });
  });
});
