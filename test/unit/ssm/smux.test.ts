import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { SmuxClient } from '../../../src/ssm/smux/smuxClient';
import {
  encodeSmuxData,
  encodeSmuxFrame,
  SMUX_MAX_FRAME_DATA,
  SmuxCommand,
} from '../../../src/ssm/smux/smuxFrame';
import type { SmuxFrame } from '../../../src/ssm/smux/smuxFrame';
import { SmuxFrameReader } from '../../../src/ssm/smux/smuxFrameReader';
import { silentLogger } from '../../../src/util/logger';

/** Parses what the client wrote, independently: 8-byte little-endian headers. */
function parseFrames(bytes: Buffer): Array<{ version: number; cmd: number; id: number; data: Buffer }> {
  const frames = [];
  let offset = 0;
  while (offset < bytes.length) {
    const length = bytes.readUInt16LE(offset + 2);
    frames.push({
      version: bytes[offset],
      cmd: bytes[offset + 1],
      id: bytes.readUInt32LE(offset + 4),
      data: bytes.subarray(offset + 8, offset + 8 + length),
    });
    offset += 8 + length;
  }
  assert.equal(offset, bytes.length, 'no trailing partial frame');
  return frames;
}

function clientWithTransport(keepaliveIntervalMs = 0) {
  const written: Buffer[] = [];
  const client = new SmuxClient(
    { write: (data) => (written.push(data), true) },
    { log: silentLogger, keepaliveIntervalMs },
  );
  return { client, frames: () => parseFrames(Buffer.concat(written.splice(0))) };
}

describe('smux v1', () => {
  it('encodes the 8-byte little-endian header', () => {
    assert.deepEqual(
      encodeSmuxFrame(SmuxCommand.Psh, 0x01020304, Buffer.from('ab')),
      Buffer.from([1, 2, 2, 0, 4, 3, 2, 1, 0x61, 0x62]),
    );
    assert.deepEqual(encodeSmuxFrame(SmuxCommand.Nop, 0), Buffer.from([1, 3, 0, 0, 0, 0, 0, 0]));
  });

  it('splits PSH data at 32 KiB', () => {
    const data = Buffer.alloc(SMUX_MAX_FRAME_DATA * 2 + 5, 7);
    const frames = parseFrames(Buffer.concat(encodeSmuxData(3, data)));
    assert.deepEqual(
      frames.map((f) => f.data.length),
      [SMUX_MAX_FRAME_DATA, SMUX_MAX_FRAME_DATA, 5],
    );
    assert.ok(frames.every((f) => f.cmd === SmuxCommand.Psh && f.id === 3));
  });

  it('re-frames a byte stream split and merged at arbitrary points', () => {
    const frameArbitrary = fc.record({
      command: fc.constantFrom(SmuxCommand.Syn, SmuxCommand.Fin, SmuxCommand.Psh, SmuxCommand.Nop),
      streamId: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      data: fc.uint8Array({ maxLength: 3000 }),
    });
    fc.assert(
      fc.property(
        fc.array(frameArbitrary, { maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1 }),
        (specs, cuts) => {
          const frames = specs.map((spec) =>
            encodeSmuxFrame(
              spec.command,
              spec.streamId,
              spec.command === SmuxCommand.Psh ? Buffer.from(spec.data) : undefined,
            ),
          );
          const stream = Buffer.concat(frames);
          const reader = new SmuxFrameReader();
          const parsed: SmuxFrame[] = [];
          let offset = 0;
          for (let i = 0; offset < stream.length; i += 1) {
            const size = cuts[i % cuts.length];
            parsed.push(...reader.push(stream.subarray(offset, offset + size)));
            offset += size;
          }
          assert.equal(reader.bufferedBytes, 0);
          assert.equal(parsed.length, specs.length);
          parsed.forEach((frame, index) => {
            assert.equal(frame.command, specs[index].command);
            assert.equal(frame.streamId, specs[index].streamId);
            assert.deepEqual(frame.data, Buffer.concat([frames[index].subarray(8)]));
          });
        },
      ),
    );
  });

  it('opens streams with odd ids from 3 and sends SYN, PSH and FIN', () => {
    const { client, frames } = clientWithTransport();
    const a = client.openStream();
    const b = client.openStream();
    a.write(Buffer.from('hello'));
    b.close();
    assert.deepEqual([a.id, b.id], [3, 5]);
    assert.deepEqual(
      frames().map((f) => [f.cmd, f.id, f.data.toString()]),
      [
        [SmuxCommand.Syn, 3, ''],
        [SmuxCommand.Syn, 5, ''],
        [SmuxCommand.Psh, 3, 'hello'],
        [SmuxCommand.Fin, 5, ''],
      ],
    );
    b.close();
    assert.deepEqual(frames(), [], 'FIN is sent once');
  });

  it('routes PSH to its stream and treats the peer FIN as a full close', () => {
    const { client, frames } = clientWithTransport();
    const stream = client.openStream();
    const received: string[] = [];
    let closed = 0;
    stream.on('data', (chunk) => received.push(chunk.toString()));
    stream.on('close', () => (closed += 1));
    const bytes = Buffer.concat([
      encodeSmuxFrame(SmuxCommand.Psh, 3, Buffer.from('abc')),
      encodeSmuxFrame(SmuxCommand.Psh, 99, Buffer.from('unknown stream')),
      encodeSmuxFrame(SmuxCommand.Nop, 0),
      encodeSmuxFrame(SmuxCommand.Fin, 3),
    ]);
    client.receive(bytes.subarray(0, 5));
    client.receive(bytes.subarray(5));
    assert.deepEqual(received, ['abc']);
    assert.equal(closed, 1);
    assert.equal(stream.isClosed, true);
    frames();
    stream.close();
    assert.deepEqual(frames(), [], 'no FIN back for a stream the peer closed');
    assert.equal(client.openStreamCount, 0);
  });

  it('closes the whole session on a frame of another protocol version', () => {
    const { client } = clientWithTransport();
    const stream = client.openStream();
    let reason = '';
    client.on('close', (why) => (reason = why));
    const bad = encodeSmuxFrame(SmuxCommand.Psh, 3, Buffer.from('x'));
    bad[0] = 2;
    client.receive(bad);
    assert.match(reason, /version 2/);
    assert.equal(stream.isClosed, true);
  });

  it('sends NOP keepalives only when asked to', async () => {
    const quiet = clientWithTransport(0);
    const written: Buffer[] = [];
    let twoNops!: () => void;
    const gotTwo = new Promise<void>((resolve) => (twoNops = resolve));
    const chatty = new SmuxClient(
      { write: (data) => (written.push(data), written.length === 2 && twoNops(), true) },
      { log: silentLogger, keepaliveIntervalMs: 5 },
    );
    await gotTwo;
    quiet.client.close();
    chatty.close();
    assert.deepEqual(quiet.frames(), [], 'no keepalive timer at all without an interval');
    const nops = parseFrames(Buffer.concat(written));
    assert.ok(nops.every((f) => f.cmd === SmuxCommand.Nop && f.id === 0 && f.data.length === 0));
  });
});
