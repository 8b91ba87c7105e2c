import { strict as assert } from 'node:assert';
import { encodeAcknowledgePayload, parseAcknowledgePayload } from '../../../src/ssm/acknowledgePayload';
import {
  channelClosedLooksLikeError,
  parseChannelClosedPayload,
} from '../../../src/ssm/channelClosedPayload';
import { encodeFlagPayload, parseFlagPayload } from '../../../src/ssm/flagPayload';
import { PayloadParseError } from '../../../src/ssm/sessionErrors';
import { FlagCode } from '../../../src/ssm/protocolConstants';

describe('ssm payloads', () => {
  it('encodes acks with the field names and IsSequentialMessage true', () => {
    const json = JSON.parse(
      encodeAcknowledgePayload({
        acknowledgedMessageType: 'output_stream_data',
        acknowledgedMessageId: 'dd01e56b-ff48-483e-a508-b5f073f31b16',
        acknowledgedSequenceNumber: 42,
      }).toString(),
    );
    assert.deepEqual(json, {
      AcknowledgedMessageType: 'output_stream_data',
      AcknowledgedMessageId: 'dd01e56b-ff48-483e-a508-b5f073f31b16',
      AcknowledgedMessageSequenceNumber: 42,
      IsSequentialMessage: true,
    });
  });

  it('parses acks and rejects ones without an integer sequence number', () => {
    const ack = parseAcknowledgePayload(
      Buffer.from(
        '{"AcknowledgedMessageType":"input_stream_data","AcknowledgedMessageId":"x","AcknowledgedMessageSequenceNumber":7}',
      ),
    );
    assert.equal(ack.acknowledgedSequenceNumber, 7);
    assert.throws(
      () => parseAcknowledgePayload(Buffer.from('{"AcknowledgedMessageSequenceNumber":"7"}')),
      PayloadParseError,
    );
    assert.throws(() => parseAcknowledgePayload(Buffer.from('not json')), PayloadParseError);
    assert.throws(() => parseAcknowledgePayload(Buffer.from('[1]')), PayloadParseError);
  });

  it('parses channel_closed and tells errors from normal ends', () => {
    const closed = parseChannelClosedPayload(
      Buffer.from(
        JSON.stringify({
          MessageType: 'channel_closed',
          SessionId: 's-1',
          Output: 'Your session timed out due to inactivity and has been terminated.',
          CreatedDate: '1700000000000',
          SchemaVersion: 1,
        }),
      ),
    );
    assert.equal(closed.sessionId, 's-1');
    assert.equal(channelClosedLooksLikeError(closed.output), true);
    assert.equal(channelClosedLooksLikeError(''), false);
    assert.equal(channelClosedLooksLikeError('Exiting session with sessionId: s-1.'), false);
    assert.equal(channelClosedLooksLikeError('Unable to start port session: connection refused'), true);
    assert.deepEqual(parseChannelClosedPayload(Buffer.alloc(0)), { sessionId: '', output: '' });
  });

  it('encodes flags as a 4-byte big-endian code', () => {
    assert.deepEqual(encodeFlagPayload(FlagCode.TerminateSession), Buffer.from([0, 0, 0, 2]));
    assert.equal(parseFlagPayload(Buffer.from([0, 0, 0, 3])), FlagCode.ConnectToPortError);
    assert.throws(() => parseFlagPayload(Buffer.from([0, 3])), PayloadParseError);
  });
});
