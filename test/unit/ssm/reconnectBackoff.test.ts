import { strict as assert } from 'node:assert';
import { ReconnectBackoff } from '../../../src/ssm/reconnectBackoff';

describe('ssm reconnect backoff', () => {
  it('starts between 1x and 2x the initial delay, doubles, and caps', () => {
    const backoff = new ReconnectBackoff(
      { initialDelayMs: 100, maxDelayMs: 1000, budgetMs: 60_000 },
      () => 0.5,
    );
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map(() => backoff.next(0)),
      [150, 300, 600, 1000, 1000, 1000],
    );
  });

  it('keeps retrying well past the plugin’s ~5 s, then stops at the budget', () => {
    const backoff = new ReconnectBackoff(
      { initialDelayMs: 100, maxDelayMs: 5000, budgetMs: 120_000 },
      () => 0,
    );
    let elapsed = 0;
    let attempts = 0;
    for (let delay = backoff.next(elapsed); delay !== undefined; delay = backoff.next(elapsed)) {
      elapsed += delay;
      attempts += 1;
    }
    assert.ok(elapsed > 100_000 && elapsed <= 120_000, `gave up after ${elapsed} ms`);
    assert.ok(attempts > 20);
  });
});
