import { strict as assert } from 'node:assert';
import { compactBuffer } from '../../../src/ssm/compactBuffer';

describe('ssm compactBuffer', () => {
  it('copies a small view that would keep a large socket buffer alive', () => {
    const read = Buffer.allocUnsafeSlow(64 * 1024).fill(7);
    const payload = read.subarray(1000, 2024);
    const kept = compactBuffer(payload);
    assert.notEqual(kept.buffer, read.buffer);
    assert.equal(kept.buffer.byteLength < 16 * 1024, true);
    assert.deepEqual(kept, payload);
  });

  it('keeps views that use most of their buffer, and views of small buffers', () => {
    const view = Buffer.allocUnsafeSlow(16 * 1024).subarray(0, 15 * 1024);
    assert.equal(compactBuffer(view), view);
    const small = Buffer.allocUnsafeSlow(100).subarray(0, 10);
    assert.equal(compactBuffer(small), small);
  });
});
