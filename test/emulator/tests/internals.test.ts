import * as assert from 'node:assert/strict';
import { parseAuthorization } from '../auth/sigv4';
import { encodeAgentFrame, readWireFields, readWireMessageType } from '../datachannel/agentWire';
import { pageAfter, PageTokens, sortItems, type SortOrder } from '../pagination';
import { ChunkedEncodingError, decodeAwsChunked } from '../protocols/awsChunked';
import { computeChecksum } from '../protocols/checksums';
import { firstElementText } from '../protocols/xml';
import { compareKeys, lowerBound, prefixEnd } from '../stores/buckets';

describe('emulator internals', () => {
  describe('keyset pagination', () => {
    const order: SortOrder<{ id: string; at: number }> = {
      key: (item) => [item.at, item.id],
      descending: false,
    };

    it('continues after the last key even when items are inserted or removed between pages', () => {
      const items = [5, 1, 4, 2, 3].map((at) => ({ id: `i${at}`, at }));
      const sorted = sortItems(items, order);
      const first = pageAfter(sorted, order, undefined, 2);
      assert.deepEqual(
        first.items.map((item) => item.id),
        ['i1', 'i2'],
      );
      const changed = sortItems([...items.filter((item) => item.id !== 'i3'), { id: 'i0', at: 0 }], order);
      const second = pageAfter(changed, order, first.nextCursor, 2);
      assert.deepEqual(
        second.items.map((item) => item.id),
        ['i4', 'i5'],
        'no duplicates, no skipped survivors',
      );
      assert.equal(second.nextCursor, undefined);
    });

    it('works in descending order', () => {
      const descending = { ...order, descending: true };
      const sorted = sortItems(
        [1, 2, 3].map((at) => ({ id: `i${at}`, at })),
        descending,
      );
      const first = pageAfter(sorted, descending, undefined, 2);
      assert.deepEqual(
        first.items.map((item) => item.id),
        ['i3', 'i2'],
      );
      assert.deepEqual(
        pageAfter(sorted, descending, first.nextCursor, 2).items.map((item) => item.id),
        ['i1'],
      );
    });

    it('issues opaque tokens bound to the query and rejects tampering', () => {
      const tokens = new PageTokens();
      const token = tokens.encode('scope-a', [1, 'x']);
      assert.deepEqual(tokens.decode('scope-a', token), [1, 'x']);
      assert.equal(tokens.decode('scope-b', token), undefined);
      assert.equal(
        tokens.decode(
          'scope-a',
          token.replace(/^./, (c) => (c === 'e' ? 'f' : 'e')),
        ),
        undefined,
      );
      assert.equal(tokens.decode('scope-a', 'abc'), undefined);
      assert.equal(new PageTokens().decode('scope-a', token), undefined, 'tokens do not cross emulators');
    });
  });

  describe('aws-chunked decoding', () => {
    it('decodes unsigned chunks with trailers and signed chunks', () => {
      const unsigned = decodeAwsChunked(
        Buffer.from('6\r\nhello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n'),
      );
      assert.equal(unsigned.body.toString(), 'hello world');
      assert.equal(unsigned.trailers.get('x-amz-checksum-crc32'), 'DUoRhQ==');
      const signed = decodeAwsChunked(
        Buffer.from(
          `3;chunk-signature=${'a'.repeat(64)}\r\nabc\r\n0;chunk-signature=${'b'.repeat(64)}\r\n\r\n`,
        ),
      );
      assert.equal(signed.body.toString(), 'abc');
      assert.equal(signed.trailers.size, 0);
    });

    it('rejects malformed framing', () => {
      for (const bad of [
        'zz\r\nabc\r\n0\r\n\r\n',
        '5\r\nabc\r\n0\r\n\r\n',
        '3\r\nabcX\r\n0\r\n\r\n',
        '3\r\nabc',
        '0\r\nno-colon\r\n\r\n',
      ]) {
        assert.throws(() => decodeAwsChunked(Buffer.from(bad)), ChunkedEncodingError, JSON.stringify(bad));
      }
    });
  });

  it('computes the checksums S3 clients send', () => {
    assert.equal(computeChecksum('CRC32', Buffer.from('hello world')), 'DUoRhQ==');
    assert.equal(computeChecksum('CRC32C', Buffer.from('abc')), 'Nks/tw==');
    assert.equal(computeChecksum('CRC64NVME', Buffer.from('abc')), 'BeXKuz/B+us=');
    assert.equal(computeChecksum('SHA1', Buffer.from('abc')), 'qZk+NkcGgWq6PiVxeFDCbJzQ2J0=');
  });

  it('parses SigV4 Authorization headers and explains malformed ones', () => {
    const parsed = parseAuthorization(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/ssm/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc',
    );
    assert.deepEqual(parsed, {
      accessKeyId: 'AKIDEXAMPLE',
      date: '20250101',
      region: 'us-east-1',
      service: 'ssm',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'abc',
    });
    assert.match(parseAuthorization('Basic xyz') as string, /must use AWS4-HMAC-SHA256/);
    assert.match(
      parseAuthorization(
        'AWS4-HMAC-SHA256 Credential=A/2025/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=x',
      ) as string,
      /must look like/,
    );
  });

  it('orders S3 keys by UTF-8 bytes and finds prefix ranges', () => {
    assert.ok(
      compareKeys('\uffff', '\u{10000}') < 0,
      'BMP private use sorts before astral characters in UTF-8',
    );
    const keys = ['a', 'a/1', 'a/2', 'ab', 'b'];
    assert.equal(lowerBound(keys, 'a/'), 1);
    assert.equal(prefixEnd(keys, 'a/'), 3);
    assert.equal(prefixEnd(keys, 'c'), 5);
  });

  it("reads a relayed frame's MessageType as the full parse does, whatever the padding", () => {
    for (const typePadding of ['space-right', 'nul-left'] as const) {
      for (const messageType of ['output_stream_data', 'agent_session_state', 'a', 'x'.repeat(32)]) {
        const frame = encodeAgentFrame({
          messageType,
          sequenceNumber: 0,
          flags: 0,
          payloadType: 1,
          payload: Buffer.from('p'),
          typePadding,
        });
        assert.equal(readWireMessageType(frame), messageType);
        assert.equal(readWireMessageType(frame), readWireFields(frame)!.messageType);
      }
    }
    assert.equal(readWireMessageType(Buffer.alloc(119)), '');
  });

  it('reads elements from small XML request bodies', () => {
    assert.equal(
      firstElementText(
        '<A xmlns="x"><LocationConstraint>eu-west-1</LocationConstraint></A>',
        'LocationConstraint',
      ),
      'eu-west-1',
    );
    assert.equal(firstElementText('', 'LocationConstraint'), undefined);
    assert.throws(() => firstElementText('not xml', 'X'), /not an XML document/);
  });
});
