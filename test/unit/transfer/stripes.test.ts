import * as assert from 'node:assert/strict';
import {
  SMALL_FILE_BYTES,
  blocksOf,
  planStripes,
  remainingStripes,
  sessionsFor,
  stripeSizeFor,
} from '../../../src/transfer/stripes';

const MiB = 1024 * 1024;

describe('transfer stripes', () => {
  it('covers the file exactly, in order, the last stripe shorter', () => {
    const stripes = planStripes(10 * MiB + 5, 4 * MiB);
    assert.deepEqual(
      stripes.map((s) => [s.index, s.start, s.end]),
      [
        [0, 0, 4 * MiB],
        [1, 4 * MiB, 8 * MiB],
        [2, 8 * MiB, 10 * MiB + 5],
      ],
    );
    assert.deepEqual(planStripes(0, MiB), []);
    assert.throws(() => planStripes(-1, MiB), RangeError);
    assert.throws(() => planStripes(10, 0), RangeError);
  });

  it('gives small files one session and large ones up to the limit', () => {
    assert.equal(sessionsFor(0, 8), 1);
    assert.equal(sessionsFor(SMALL_FILE_BYTES - 1, 8), 1);
    assert.equal(sessionsFor(8 * MiB, 8), 4);
    assert.equal(sessionsFor(256 * MiB, 8), 8);
    assert.equal(sessionsFor(256 * MiB, 16), 16);
    assert.equal(sessionsFor(256 * MiB, 1), 1);
  });

  it('sizes stripes at about four per session, 64 KiB aligned, between 1 and 16 MiB', () => {
    assert.equal(stripeSizeFor(64 * MiB, 8), 2 * MiB);
    assert.equal(stripeSizeFor(100_000, 1), MiB);
    assert.equal(stripeSizeFor(10 * 1024 * MiB, 4), 16 * MiB);
    const odd = stripeSizeFor(33 * MiB + 7, 3);
    assert.equal(odd % (64 * 1024), 0);
    assert.ok(odd * 12 >= 33 * MiB + 7);
  });

  it('leaves out the stripes already done', () => {
    const stripes = planStripes(5 * MiB, MiB);
    assert.deepEqual(
      remainingStripes(stripes, new Set([0, 2, 4])).map((s) => s.index),
      [1, 3],
    );
  });

  it('splits a stripe into request-sized blocks', () => {
    const [, second] = planStripes(3 * MiB, 2 * MiB);
    const blocks = blocksOf(second!, 300 * 1024);
    assert.equal(blocks[0]!.offset, 2 * MiB);
    assert.equal(
      blocks.reduce((sum, b) => sum + b.length, 0),
      MiB,
    );
    assert.equal(blocks.at(-1)!.offset + blocks.at(-1)!.length, 3 * MiB);
  });
});
