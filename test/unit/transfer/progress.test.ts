import * as assert from 'node:assert/strict';
import { copiedMessage } from '../../../src/transfer/targetTransfer';
import {
  ProgressTracker,
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

describe('ProgressTracker (the CLI line and the VS Code notification)', () => {
  it('reports the line, the percentage and only the growth as an increment', () => {
    const tracker = new ProgressTracker();
    const at = (
      bytesDone: number,
    ): { bytesDone: number; bytesTotal: number; filesDone: number; filesTotal: number } => ({
      bytesDone,
      bytesTotal: 100 * MiB,
      filesDone: 0,
      filesTotal: 1,
    });
    const first = tracker.update(at(10 * MiB), 0);
    assert.deepEqual([first.percent, first.increment], [10, 10]);
    const second = tracker.update(at(35 * MiB), 1_000);
    assert.deepEqual([second.percent, second.increment], [35, 25]);
    assert.match(second.line, /^35\.0 MiB \/ 100\.0 MiB {2}35% {2}26 MB\/s {2}ETA 0:03$/);
    // A lost session's stripe is counted again: the bar does not go back, nor forward twice.
    const back = tracker.update(at(30 * MiB), 2_000);
    assert.deepEqual([back.percent, back.increment], [30, 0]);
    const on = tracker.update(at(40 * MiB), 3_000);
    assert.deepEqual([on.percent, on.increment], [40, 5]);
    assert.equal(tracker.update(at(100 * MiB), 4_000).increment, 60);
  });

  it('shows 0 % of an empty copy rather than dividing by zero', () => {
    const view = new ProgressTracker().update(
      { bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0 },
      0,
    );
    assert.deepEqual([view.percent, view.increment], [0, 0]);
  });
});

describe('copiedMessage', () => {
  it('names the files, size, host and time of a download and an upload', () => {
    assert.equal(
      copiedMessage('download', 'my-job.training.sagemaker', {
        files: 3,
        bytes: 1536 * 1024,
        elapsedMs: 2_140,
      }),
      'Downloaded 3 files (1.5 MiB) from my-job.training.sagemaker in 2.1 s',
    );
    assert.equal(
      copiedMessage('upload', 'my-job.training.sagemaker', { files: 1, bytes: 512, elapsedMs: 300 }),
      'Uploaded 1 file (512 B) to my-job.training.sagemaker in 0.3 s',
    );
  });
});
