import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { FrameBatchSocket } from '../../../src/ssm/websocketFrameBatch';
import { WebSocketFrameBatch } from '../../../src/ssm/websocketFrameBatch';
import { randomMask, zeroMask } from '../../../src/ssm/websocketMask';

/** Records what the batch hands the socket, write by write, with the cork state of each. */
class RecordingSocket implements FrameBatchSocket {
  readonly writes: { data: Buffer; corked: boolean }[] = [];
  private corks = 0;
  write(data: Buffer): boolean {
    this.writes.push({ data, corked: this.corks > 0 });
    return true;
  }
  cork(): void {
    this.corks += 1;
  }
  uncork(): void {
    this.corks -= 1;
  }
  get bytes(): Buffer {
    return Buffer.concat(this.writes.map((write) => write.data));
  }
}

interface FrameReceiver {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  write(data: Buffer): unknown;
}
/** `ws` exports its frame parser as WebSocket.Receiver; its type definitions do not declare it. */
const { Receiver } = WebSocket as unknown as {
  Receiver: new (options: { isServer: boolean; maxPayload: number }) => FrameReceiver;
};

/** What a server makes of the bytes: ws's own frame parser, which insists on masked client frames. */
function serverReads(bytes: Buffer): Buffer[] {
  const receiver = new Receiver({ isServer: true, maxPayload: 0 });
  const messages: Buffer[] = [];
  let failure: Error | undefined;
  receiver.on('message', (data, isBinary) => {
    assert.ok(isBinary);
    messages.push(Buffer.from(data));
  });
  receiver.on('error', (error) => (failure = error));
  receiver.write(bytes);
  if (failure) throw failure;
  return messages;
}

const SIZES = [0, 1, 125, 126, 127, 1000, 8191, 8192, 65535, 65536, 70_000];

describe('WebSocket frame batch', () => {
  for (const [name, mask] of [
    ['zero', zeroMask],
    ['random', randomMask],
  ] as const) {
    it(`writes masked binary frames a server parses back in order (${name} mask, every length form)`, () => {
      const batch = new WebSocketFrameBatch(mask);
      const socket = new RecordingSocket();
      const payloads = SIZES.map((size) => randomBytes(size));
      for (const payload of payloads) batch.append(payload);
      batch.flush(socket);
      assert.deepEqual(serverReads(socket.bytes), payloads);
      assert.equal(batch.pendingBytes, 0);
    });
  }

  it('hands small frames over in one write, and large ones in one corked run after them', () => {
    const batch = new WebSocketFrameBatch(zeroMask);
    const small = Array.from({ length: 50 }, (_, i) => Buffer.from(`ack ${i}`));
    for (const payload of small) batch.append(payload);
    const socket = new RecordingSocket();
    batch.flush(socket);
    assert.equal(socket.writes.length, 1);

    const mixed = [Buffer.from('a'), randomBytes(16 * 1024), Buffer.from('b')];
    for (const payload of mixed) batch.append(payload);
    const second = new RecordingSocket();
    batch.flush(second);
    assert.ok(second.writes.length > 1 && second.writes.every((write) => write.corked));
    assert.deepEqual(serverReads(second.bytes), mixed);
  });

  it('counts what waits for a flush, and clear drops it', () => {
    const batch = new WebSocketFrameBatch(zeroMask);
    batch.append(Buffer.alloc(10));
    assert.equal(batch.pendingBytes, 2 + 4 + 10);
    batch.append(Buffer.alloc(9000));
    assert.equal(batch.pendingBytes, 16 + 4 + 4 + 9000);
    batch.clear();
    assert.equal(batch.pendingBytes, 0);
    const socket = new RecordingSocket();
    batch.append(Buffer.from('after'));
    batch.flush(socket);
    assert.deepEqual(serverReads(socket.bytes), [Buffer.from('after')]);
  });

  it('never writes over bytes it handed to the socket (the socket may still be sending them)', () => {
    const batch = new WebSocketFrameBatch(zeroMask);
    const socket = new RecordingSocket();
    const payloads: Buffer[] = [];
    for (let round = 0; round < 400; round += 1) {
      const payload = randomBytes(300 + (round % 7));
      payloads.push(payload);
      batch.append(payload);
      batch.flush(socket);
    }
    assert.deepEqual(serverReads(socket.bytes), payloads);
  });

  it('leaves a large unmasked payload uncopied, and masks a copy otherwise', () => {
    const payload = randomBytes(20_000);
    const plain = new WebSocketFrameBatch(zeroMask);
    const socket = new RecordingSocket();
    plain.append(payload);
    plain.flush(socket);
    assert.ok(socket.writes.some((write) => write.data === payload));

    const masked = new WebSocketFrameBatch(randomMask);
    const maskedSocket = new RecordingSocket();
    const original = Buffer.from(payload);
    masked.append(payload);
    masked.flush(maskedSocket);
    assert.ok(maskedSocket.writes.every((write) => write.data !== payload));
    assert.deepEqual(payload, original, 'the caller’s payload is not masked in place');
    assert.deepEqual(serverReads(maskedSocket.bytes), [original]);
  });
});
