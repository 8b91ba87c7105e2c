import { strict as assert } from 'node:assert';
import { SharedHoldTicks, sharedHoldTicks } from '../../../src/ssm/sharedHoldTicks';
import { ManualClock } from './support/manualClock';

describe('SharedHoldTicks', () => {
  it('ends holds started within one step of each other on the same grid point, with one timer', () => {
    const clock = new ManualClock(); // now() = 1000
    const ticks = new SharedHoldTicks(clock, 10);
    const ended: string[] = [];
    ticks.after(40, () => ended.push(`a@${clock.now()}`)); // 1035..1045 → 1040
    clock.advance(3);
    ticks.after(40, () => ended.push(`b@${clock.now()}`)); // 1038..1048 → 1040
    assert.equal(clock.pendingTimers, 1);
    clock.advance(36);
    assert.deepEqual(ended, []);
    clock.advance(1);
    assert.deepEqual(ended, ['a@1040', 'b@1040']);
  });

  it('stays within half a step of the hold asked for', () => {
    const clock = new ManualClock();
    const ticks = new SharedHoldTicks(clock, 10);
    for (let offset = 0; offset < 10; offset += 1) {
      const startedAt = clock.now();
      let endedAt = -1;
      ticks.after(40, () => (endedAt = clock.now()));
      while (endedAt < 0) clock.advance(1);
      assert.ok(
        endedAt - startedAt >= 35 && endedAt - startedAt <= 45,
        `${offset}: ${endedAt - startedAt} ms`,
      );
      clock.advance(1);
    }
  });

  it('cancelling one hold keeps the others; cancelling the last removes the timer', () => {
    const clock = new ManualClock();
    const ticks = new SharedHoldTicks(clock, 10);
    const ended: string[] = [];
    const cancelA = ticks.after(40, () => ended.push('a'));
    const cancelB = ticks.after(40, () => ended.push('b'));
    cancelA();
    assert.equal(clock.pendingTimers, 1);
    clock.advance(45);
    assert.deepEqual(ended, ['b']);
    const cancelC = ticks.after(40, () => ended.push('c'));
    cancelC();
    cancelB(); // after it ran: nothing to undo
    assert.equal(clock.pendingTimers, 0);
    clock.advance(100);
    assert.deepEqual(ended, ['b']);
  });

  it('is one grid per clock and step', () => {
    const clock = new ManualClock();
    assert.equal(sharedHoldTicks(clock, 40), sharedHoldTicks(clock, 40));
    assert.notEqual(sharedHoldTicks(clock, 40), sharedHoldTicks(clock, 20));
    assert.notEqual(sharedHoldTicks(clock, 40), sharedHoldTicks(new ManualClock(), 40));
  });
});
