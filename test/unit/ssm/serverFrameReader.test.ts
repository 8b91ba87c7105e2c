import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ServerFrameHandlers } from '../../../src/ssm/serverFrameReader';
import { ServerFrameReader } from '../../../src/ssm/serverFrameReader';

/** An unmasked server frame (RFC 6455 §5.2) in whichever length form `payload` needs. */
function serverFrame(opcode: number, payload: Buffer, fin = true, extraFirstBits = 0): Buffer {
  const first = (fin ? 0x80 : 0) | extraFirstBits | opcode;
  let header: Buffer;
  if (payload.length < 126) {
    header = Buffer.from([first, payload.length]);
  } else if (payload.length < 0x10000) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = 127;
    header.writeUInt32BE(0, 2);
    header.writeUInt32BE(payload.length, 6);
  }
  return Buffer.concat([header, payload]);
}

type Event =
  | ['message', Buffer]
  | ['ping', Buffer]
  | ['pong']
  | ['close', number | undefined, string]
  | ['error', string];

function recorder(maxPayloadBytes = 1 << 20): { reader: ServerFrameReader; events: Event[] } {
  const events: Event[] = [];
  const handlers: ServerFrameHandlers = {
    message: (data) => events.push(['message', Buffer.from(data)]),
    ping: (payload) => events.push(['ping', Buffer.from(payload)]),
    pong: () => events.push(['pong']),
    close: (code, reason) => events.push(['close', code, reason]),
    protocolError: (detail) => events.push(['error', detail]),
  };
  return { reader: new ServerFrameReader(handlers, maxPayloadBytes), events };
}

describe('ssm server frame reader', () => {
  const payloads = [0, 1, 125, 126, 1024, 65535, 65536, 70000].map((n) => randomBytes(n));
  const stream = Buffer.concat([
    ...payloads.map((p) => serverFrame(0x2, p)),
    serverFrame(0x9, Buffer.from('ka')),
    serverFrame(0xa, Buffer.alloc(0)),
    serverFrame(0x1, Buffer.from('text')),
  ]);
  const expected: Event[] = [
    ...payloads.map((p): Event => ['message', p]),
    ['ping', Buffer.from('ka')],
    ['pong'],
    ['message', Buffer.from('text')],
  ];

  it('reads every length form, pings, pongs and text, however the bytes are split into reads', () => {
    for (const size of [1, 2, 3, 7, 13, 1000, 4096, 65536, stream.length]) {
      const { reader, events } = recorder();
      for (let at = 0; at < stream.length; at += size) reader.push(stream.subarray(at, at + size));
      assert.deepEqual(events, expected, `reads of ${size} bytes`);
    }
  });

  it('hands a frame that lies in one read on as a view of that read, not a copy', () => {
    const seen: Buffer[] = [];
    const reader = new ServerFrameReader(
      {
        message: (data) => seen.push(data),
        ping: () => undefined,
        pong: () => undefined,
        close: () => undefined,
        protocolError: (detail) => assert.fail(detail),
      },
      1 << 20,
    );
    const chunk = Buffer.concat([serverFrame(0x2, Buffer.from('one')), serverFrame(0x2, Buffer.from('two'))]);
    reader.push(chunk);
    assert.deepEqual(
      seen.map((s) => s.toString()),
      ['one', 'two'],
    );
    for (const message of seen) assert.equal(message.buffer, chunk.buffer);
  });

  it('joins a message sent in fragments, with a ping between them', () => {
    const { reader, events } = recorder();
    reader.push(
      Buffer.concat([
        serverFrame(0x2, Buffer.from('ab'), false),
        serverFrame(0x9, Buffer.alloc(0)),
        serverFrame(0x0, Buffer.from('cd'), false),
        serverFrame(0x0, Buffer.from('ef')),
      ]),
    );
    assert.deepEqual(events, [
      ['ping', Buffer.alloc(0)],
      ['message', Buffer.from('abcdef')],
    ]);
  });

  it('a close frame gives its code and reason, and nothing after it is read', () => {
    const { reader, events } = recorder();
    const close = Buffer.concat([Buffer.from([0x03, 0xe8]), Buffer.from('bye')]);
    reader.push(Buffer.concat([serverFrame(0x8, close), serverFrame(0x2, Buffer.from('late'))]));
    reader.push(serverFrame(0x2, Buffer.from('later')));
    assert.deepEqual(events, [['close', 1000, 'bye']]);
  });

  const broken: [string, Buffer, RegExp][] = [
    ['a masked frame', Buffer.from([0x82, 0x81, 1, 2, 3, 4, 0x55]), /masked frame/],
    ['reserved bits', serverFrame(0x2, Buffer.from('x'), true, 0x40), /reserved bits/],
    ['a fragmented ping', serverFrame(0x9, Buffer.from('x'), false), /control frame/],
    ['a ping over 125 bytes', serverFrame(0x9, Buffer.alloc(126)), /control frame/],
    ['a continuation with no message', serverFrame(0x0, Buffer.from('x')), /continuation/],
    ['an unknown opcode', serverFrame(0x3, Buffer.from('x')), /unknown opcode 3/],
    ['a message over the limit', serverFrame(0x2, Buffer.alloc(2000)), /over 1024 bytes/],
  ];
  for (const [what, bytes, pattern] of broken) {
    it(`${what}: one protocol error, and nothing more is read`, () => {
      const { reader, events } = recorder(1024);
      reader.push(bytes);
      reader.push(serverFrame(0x2, Buffer.from('after')));
      assert.equal(events.length, 1, JSON.stringify(events));
      assert.equal(events[0]![0], 'error');
      assert.match(events[0]![1] as string, pattern);
    });
  }
});
