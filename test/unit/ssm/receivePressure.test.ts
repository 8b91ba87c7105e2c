import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { ReceivePressure } from '../../../src/ssm/receivePressure';

/** A Writable that accepts one chunk at a time and finishes it only when the test calls `flushOne`. */
class HeldWriter extends Writable {
  private pending: Array<() => void> = [];

  constructor() {
    super({ highWaterMark: 1024 });
  }

  override _write(_chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.pending.push(done);
  }

  override _writev(_chunks: Array<{ chunk: Buffer }>, done: () => void): void {
    this.pending.push(done);
  }

  /** Completes the oldest write (with cork, one writev of everything written in one tick). */
  flushOne(): void {
    this.pending.shift()?.();
  }
}

const KiB = 1024;
const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ssm ReceivePressure', () => {
  it('stays uncongested below the limit', async () => {
    let relieved = 0;
    const pressure = new ReceivePressure(() => (relieved += 1), 64 * KiB);
    const writer = new HeldWriter();
    for (let i = 0; i < 7; i += 1) pressure.write(writer, Buffer.alloc(8 * KiB));
    await nextTick();
    assert.equal(pressure.isCongested, false);
    assert.equal(relieved, 0);
  });

  it('is congested at the limit and relieved at half of it, before the writer is empty', async () => {
    let relieved = 0;
    const pressure = new ReceivePressure(() => (relieved += 1), 64 * KiB);
    const writer = new HeldWriter();
    // Writes in one tick leave as one writev; the next tick's wait behind it, as on a busy pipe.
    for (let i = 0; i < 5; i += 1) pressure.write(writer, Buffer.alloc(8 * KiB));
    await nextTick();
    for (let i = 0; i < 3; i += 1) pressure.write(writer, Buffer.alloc(8 * KiB));
    await nextTick();
    assert.equal(pressure.isCongested, true);
    writer.flushOne();
    await nextTick();
    assert.equal(relieved, 1);
    assert.equal(pressure.isCongested, false);
    assert.equal(writer.writableLength, 24 * KiB, 'relief comes while the consumer still has data queued');
  });

  it('is relieved when the writer closes, and leaves no listeners behind after many episodes', async () => {
    let relieved = 0;
    const pressure = new ReceivePressure(() => (relieved += 1), 16 * KiB);
    const writer = new HeldWriter();
    const closeListeners = writer.listenerCount('close');
    for (let episode = 0; episode < 20; episode += 1) {
      pressure.write(writer, Buffer.alloc(16 * KiB));
      await nextTick();
      assert.equal(pressure.isCongested, true);
      writer.flushOne();
      await nextTick();
      assert.equal(pressure.isCongested, false);
    }
    assert.equal(relieved, 20);
    assert.equal(writer.listenerCount('close'), closeListeners);

    pressure.write(writer, Buffer.alloc(16 * KiB));
    await nextTick();
    assert.equal(pressure.isCongested, true);
    writer.destroy();
    await nextTick();
    assert.equal(pressure.isCongested, false);
    assert.equal(relieved, 21);
  });
});
