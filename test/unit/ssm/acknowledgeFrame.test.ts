import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { encodeAcknowledgePayload } from '../../../src/ssm/acknowledgePayload';
import { encodeAcknowledgeFrame, randomMessageId } from '../../../src/ssm/acknowledgeFrame';
import type { AcknowledgedMessage } from '../../../src/ssm/acknowledgeFrame';
import { decodeClientMessage, encodeClientMessage, newClientMessage } from '../../../src/ssm/clientMessage';
import { readMessageId, writeMessageId } from '../../../src/ssm/messageId';
import { HeaderFlags, MessageType, PayloadType } from '../../../src/ssm/protocolConstants';

/** The general encoder's ack, as the reliable channel built it before the template. */
function referenceAck(acked: AcknowledgedMessage, createdDate: number, ackId: string): Buffer {
  return encodeClientMessage(
    newClientMessage({
      messageType: MessageType.Acknowledge,
      flags: HeaderFlags.Ack,
      payloadType: PayloadType.Unset,
      createdDate,
      messageId: ackId,
      payload: encodeAcknowledgePayload({
        acknowledgedMessageType: acked.messageType,
        acknowledgedMessageId: acked.messageId,
        acknowledgedSequenceNumber: acked.sequenceNumber,
      }),
    }),
  );
}

const fixedId =
  (uuid: string) =>
  (frame: Buffer, offset: number): void =>
    writeMessageId(uuid, frame, offset);

const V4_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('acknowledge frame template', () => {
  it('writes the same bytes as the general encoder for an agent data message', () => {
    const acked = {
      messageType: MessageType.OutputStreamData,
      messageId: 'dd01e56b-ff48-483e-a508-b5f073f31b16',
      sequenceNumber: 4711,
    };
    const ackId = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
    const createdDate = 1503434274948;
    assert.deepEqual(
      encodeAcknowledgeFrame(acked, createdDate, fixedId(ackId)),
      referenceAck(acked, createdDate, ackId),
    );
  });

  it('matches the general encoder byte for byte for any type, id, sequence and date', () => {
    const ackedArbitrary = fc.record({
      messageType: fc.oneof(
        fc.constantFrom(MessageType.OutputStreamData, MessageType.InputStreamData, 'q"\\\u00e9'),
        fc.string({ minLength: 1, maxLength: 32 }),
      ),
      messageId: fc.oneof(
        fc.uuid().map((id) => id.toLowerCase()),
        fc.uuid(),
        fc.string({ maxLength: 40 }),
      ),
      sequenceNumber: fc.oneof(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: -1, max: Number.MAX_SAFE_INTEGER }),
      ),
    });
    fc.assert(
      fc.property(
        ackedArbitrary,
        fc.integer({ min: 1, max: 2 ** 48 }),
        fc.uuid().map((id) => id.toLowerCase()),
        (acked, createdDate, ackId) => {
          assert.deepEqual(
            encodeAcknowledgeFrame(acked, createdDate, fixedId(ackId)),
            referenceAck(acked, createdDate, ackId),
          );
        },
      ),
    );
  });

  it('writes the same bytes for a received frame, its id copied from the wire', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.uuid().map((id) => id.toLowerCase()),
        (messageId, sequenceNumber, ackId) => {
          const received = decodeClientMessage(
            encodeClientMessage(
              newClientMessage({
                messageType: MessageType.OutputStreamData,
                payloadType: PayloadType.Output,
                payload: Buffer.from('x'),
                messageId,
                sequenceNumber,
              }),
            ),
          );
          const expected = referenceAck(
            { messageType: MessageType.OutputStreamData, messageId: messageId.toLowerCase(), sequenceNumber },
            1_700_000_000_000,
            ackId,
          );
          assert.deepEqual(encodeAcknowledgeFrame(received, 1_700_000_000_000, fixedId(ackId)), expected);
        },
      ),
    );
  });

  it('decodes as a clean acknowledge with a fresh random version-4 id each time', () => {
    const acked = {
      messageType: MessageType.OutputStreamData,
      messageId: '00000000-0000-4000-8000-000000000001',
      sequenceNumber: 9,
    };
    const ids = new Set<string>();
    for (let i = 0; i < 600; i += 1) {
      const frame = encodeAcknowledgeFrame(acked, 1_700_000_000_000);
      const decoded = decodeClientMessage(frame);
      assert.deepEqual(decoded.anomalies, []);
      assert.equal(decoded.messageType, MessageType.Acknowledge);
      assert.equal(decoded.flags, HeaderFlags.Ack);
      assert.match(decoded.messageId, V4_UUID);
      ids.add(decoded.messageId);
      assert.deepEqual(JSON.parse(decoded.payload.toString('utf8')), {
        AcknowledgedMessageType: 'output_stream_data',
        AcknowledgedMessageId: acked.messageId,
        AcknowledgedMessageSequenceNumber: 9,
        IsSequentialMessage: true,
      });
    }
    assert.equal(ids.size, 600);
  });

  it('randomMessageId sets the version and variant bits of a v4 UUID in wire order', () => {
    const frame = Buffer.alloc(16, 0xff);
    randomMessageId(frame, 0);
    assert.match(readMessageId(frame, 0), V4_UUID);
    frame.fill(0);
    randomMessageId(frame, 0);
    assert.match(readMessageId(frame, 0), V4_UUID);
  });
});
