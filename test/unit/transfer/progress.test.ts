import * as assert from 'node:assert/strict';
import {
  RateMeter,
  formatBytes,
  formatEta,
  formatRate,
  progressLine,
  summaryLine,
} from '../../../src/transfer/progress';

const MiB = 1024 * 1024;

describe('transfer progress', () => {
  it('formats sizes, rates and times', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(256 * MiB), '256.0 MiB');
    assert.equal(formatRate(3_250_000), '3.3 MB/s');
    assert.equal(formatRate(45_000_000), '45 MB/s');
    assert.equal(formatRate(0), '– MB/s');
    assert.equal(formatEta(65), '1:05');
    assert.equal(formatEta(3723), '1:02:03');
    assert.equal(formatEta(undefined), '–');
    assert.equal(formatEta(Number.POSITIVE_INFINITY), '–');
  });

  it('measures the rate over a sliding window, so a stall shows', () => {
    const meter = new RateMeter(5_000);
    assert.equal(meter.rate(), 0);
    assert.equal(meter.eta(10 * MiB), undefined);
    meter.add(0, 0);
    meter.add(1_000, 2_000_000);
    assert.equal(meter.rate(), 2_000_000);
    assert.equal(meter.eta(10_000_000), 4);
    meter.add(2_000, 4_000_000);
    // No progress for longer than the window: the rate falls towards zero.
    meter.add(8_000, 4_000_000);
    meter.add(9_000, 4_000_000);
    assert.ok(meter.rate() < 1_000_000, String(meter.rate()));
  });

  it('prints a progress line and a summary', () => {
    const progress = { bytesDone: 64 * MiB, bytesTotal: 256 * MiB, filesDone: 0, filesTotal: 1 };
    assert.equal(progressLine(progress, 8_000_000, 25), '64.0 MiB / 256.0 MiB  25%  8.0 MB/s  ETA 0:25');
    assert.match(
      progressLine({ ...progress, filesDone: 3, filesTotal: 10 }, 0, undefined),
      /ETA – {2}3\/10 files$/,
    );
    assert.equal(
      summaryLine({ ...progress, bytesDone: 256 * MiB, filesDone: 1 }, 32_000, 8),
      'copied 256.0 MiB (1 file) in 0:32, 8.4 MB/s over 8 sessions',
    );
  });
});
