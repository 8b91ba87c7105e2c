import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { decodeClientMessage, encodeClientMessage } from '../../../src/ssm/clientMessage';
import { ClientMessageDecodeError } from '../../../src/ssm/sessionErrors';
import type { ClientMessage } from '../../../src/ssm/clientMessage';

/** The 122-byte vector of src/ssm/PROTOCOL.md §3.1, transcribed byte by byte. */
const GOLDEN_HEX = [
  '00 00 00 74 69 6e 70 75 74 5f 73 74 72 65 61 6d',
  '5f 64 61 74 61 20 20 20 20 20 20 20 20 20 20 20',
  '20 20 20 20 00 00 00 01 00 00 01 5e 0b aa 78 84',
  '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
  'a5 08 b5 f0 73 f3 1b 16 dd 01 e5 6b ff 48 48 3e',
  '8f 43 43 46 64 8f 6b 96 df 89 dd a9 01 c5 17 6b',
  '10 a6 d8 39 61 dd 3c 1a c8 8b 59 b2 dc 32 7a a4',
  '00 00 00 01 00 00 00 02 68 69',
]
  .join(' ')
  .split(' ');
const GOLDEN = Buffer.from(GOLDEN_HEX.join(''), 'hex');

const GOLDEN_MESSAGE: ClientMessage = {
  messageType: 'input_stream_data',
  schemaVersion: 1,
  createdDate: 1503434274948,
  sequenceNumber: 0,
  flags: 0,
  messageId: 'dd01e56b-ff48-483e-a508-b5f073f31b16',
  payloadType: 1,
  payload: Buffer.from('hi'),
};

function withoutAnomalies(message: ClientMessage): ClientMessage {
  const { messageType, schemaVersion, createdDate, sequenceNumber, flags, messageId, payloadType, payload } =
    message;
  return { messageType, schemaVersion, createdDate, sequenceNumber, flags, messageId, payloadType, payload };
}

describe('ssm client message codec', () => {
  it('encodes the §3.1 golden vector byte for byte', () => {
    assert.equal(GOLDEN.length, 122);
    assert.deepEqual(encodeClientMessage(GOLDEN_MESSAGE), GOLDEN);
  });

  it('decodes the §3.1 golden vector', () => {
    const decoded = decodeClientMessage(GOLDEN);
    assert.deepEqual(decoded.anomalies, []);
    assert.equal(decoded.headerLength, 116);
    assert.deepEqual(withoutAnomalies(decoded), GOLDEN_MESSAGE);
  });

  it('writes the big-endian fields and the raw SHA-256 at their offsets', () => {
    const frame = encodeClientMessage({
      ...GOLDEN_MESSAGE,
      sequenceNumber: 0x0102030405,
      flags: 3,
      payloadType: 10,
    });
    assert.equal(frame.readBigInt64BE(48), 0x0102030405n);
    assert.equal(frame.readBigUInt64BE(56), 3n);
    assert.equal(frame.readUInt32BE(112), 10);
    assert.deepEqual(frame.subarray(80, 112), createHash('sha256').update('hi').digest());
  });

  it('round-trips arbitrary messages', () => {
    const messageArbitrary = fc.record({
      messageType: fc.constantFrom(
        'input_stream_data',
        'output_stream_data',
        'acknowledge',
        'channel_closed',
      ),
      schemaVersion: fc.constant(1),
      createdDate: fc.integer({ min: 1, max: 2 ** 48 }),
      sequenceNumber: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      flags: fc.integer({ min: 0, max: 3 }),
      messageId: fc.uuid().map((id) => id.toLowerCase()),
      payloadType: fc.integer({ min: 0, max: 12 }),
      payload: fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes)),
    });
    fc.assert(
      fc.property(messageArbitrary, (message) => {
        const decoded = decodeClientMessage(encodeClientMessage(message));
        assert.deepEqual(decoded.anomalies, []);
        assert.deepEqual(withoutAnomalies(decoded), withoutAnomalies(message));
      }),
    );
  });

  it('rejects frames shorter than the header, whatever their content', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 119 }), (length) => {
        assert.throws(() => decodeClientMessage(GOLDEN.subarray(0, length)), ClientMessageDecodeError);
      }),
    );
  });

  it('rejects a HeaderLength that does not fit the frame', () => {
    const tooLong = Buffer.from(GOLDEN);
    tooLong.writeUInt32BE(500, 0);
    assert.throws(() => decodeClientMessage(tooLong), {
      name: 'ClientMessageDecodeError',
      message: /HeaderLength 500/,
    });
    const tooShort = Buffer.from(GOLDEN);
    tooShort.writeUInt32BE(0, 0);
    assert.throws(() => decodeClientMessage(tooShort), {
      name: 'ClientMessageDecodeError',
      message: /HeaderLength 0/,
    });
  });

  it('rejects an all-padding MessageType', () => {
    const frame = Buffer.from(GOLDEN);
    frame.fill(0x20, 4, 36);
    assert.throws(() => decodeClientMessage(frame), {
      name: 'ClientMessageDecodeError',
      message: /MessageType field is empty/,
    });
  });

  it('accepts NUL padding and left padding of the MessageType', () => {
    const frame = Buffer.from(GOLDEN);
    frame.fill(0, 4, 36);
    Buffer.from('input_stream_data').copy(frame, 36 - 'input_stream_data'.length);
    assert.equal(decodeClientMessage(frame).messageType, 'input_stream_data');
  });

  it('reports a digest mismatch instead of failing', () => {
    const frame = Buffer.from(GOLDEN);
    frame[80] ^= 0xff;
    const decoded = decodeClientMessage(frame);
    assert.deepEqual(decoded.anomalies, ['digest-mismatch']);
    assert.equal(decoded.payload.toString(), 'hi');
  });

  it('reports a PayloadLength that disagrees with the frame and zero CreatedDate', () => {
    const frame = Buffer.from(GOLDEN);
    frame.writeUInt32BE(7, 116);
    frame.writeBigUInt64BE(0n, 40);
    assert.deepEqual([...decodeClientMessage(frame).anomalies].sort(), [
      'payload-length-mismatch',
      'zero-created-date',
    ]);
  });

  it('honours a larger HeaderLength: the payload starts at HeaderLength + 4', () => {
    const payload = Buffer.from('xyz');
    const frame = Buffer.concat([GOLDEN.subarray(0, 120), Buffer.from([0xaa, 0xbb]), payload]);
    frame.writeUInt32BE(118, 0);
    const decoded = decodeClientMessage(frame);
    assert.equal(decoded.headerLength, 118);
    assert.equal(decoded.payload.toString(), 'xyz');
  });

  it('skips validation for publication messages, which the service may send with empty fields', () => {
    const frame = Buffer.alloc(120);
    frame.writeUInt32BE(116, 0);
    frame.write('pause_publication', 4, 'ascii');
    const decoded = decodeClientMessage(frame);
    assert.equal(decoded.messageType, 'pause_publication');
    assert.deepEqual(decoded.anomalies, []);
  });

  it('refuses to encode a MessageType longer than 32 characters', () => {
    assert.throws(() => encodeClientMessage({ ...GOLDEN_MESSAGE, messageType: 'x'.repeat(33) }), RangeError);
  });
});
