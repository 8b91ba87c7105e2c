import * as assert from 'node:assert/strict';
import { SingleFlight } from '../../../src/views/singleFlight';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('SingleFlight', () => {
  it('folds a burst of requests into one follow-up run and never overlaps', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const gates = [deferred(), deferred()];
    const flight = new SingleFlight(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await gates[runs++].promise;
      running--;
    });
    const first = flight.run();
    void flight.run();
    void flight.run();
    assert.equal(runs, 1);
    gates[0].resolve();
    await first;
    await new Promise((r) => setImmediate(r));
    assert.equal(runs, 2);
    gates[1].resolve();
    await new Promise((r) => setImmediate(r));
    assert.equal(maxRunning, 1);
    assert.equal(flight.busy, false);
  });
});
