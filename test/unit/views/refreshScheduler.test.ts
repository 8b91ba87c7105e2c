import * as assert from 'node:assert/strict';
import { RefreshScheduler } from '../../../src/views/refreshScheduler';
import type { Timers } from '../../../src/views/refreshScheduler';

/** A manual clock: timers fire only when the test advances time. */
class ManualTimers implements Timers {
  private now = 0;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();
  private next = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.now + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  get scheduledDelays(): number[] {
    return [...this.pending.values()].map((p) => p.at - this.now);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, timer] of [...this.pending]) {
      if (timer.at <= this.now) {
        this.pending.delete(id);
        timer.callback();
      }
    }
  }
}

describe('RefreshScheduler', () => {
  let timers: ManualTimers;
  let refreshes: number;
  let scheduler: RefreshScheduler;
  beforeEach(() => {
    timers = new ManualTimers();
    refreshes = 0;
    scheduler = new RefreshScheduler(() => refreshes++, { timers });
  });

  it('polls only while visible and something is pending', () => {
    scheduler.setPending(true);
    assert.equal(scheduler.scheduled, false, 'hidden view must not poll');
    scheduler.setVisible(true);
    assert.deepEqual(timers.scheduledDelays, [5000]);
    scheduler.setVisible(false);
    assert.deepEqual(timers.scheduledDelays, []);
    scheduler.setVisible(true);
    scheduler.setPending(false);
    assert.deepEqual(timers.scheduledDelays, []);
  });

  it('backs off from 5 s to 60 s while the view stays pending', () => {
    scheduler.setVisible(true);
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      scheduler.setPending(true);
      delays.push(timers.scheduledDelays[0]);
      timers.advance(delays[i]);
    }
    assert.deepEqual(delays, [5000, 10000, 20000, 40000, 60000, 60000, 60000]);
    assert.equal(refreshes, 7);
  });

  it('never schedules two timers at once', () => {
    scheduler.setVisible(true);
    scheduler.setPending(true);
    scheduler.setPending(true);
    scheduler.setVisible(true);
    assert.equal(timers.scheduledDelays.length, 1);
  });

  it('starts again at 5 s after a manual refresh or when nothing is pending', () => {
    scheduler.setVisible(true);
    scheduler.setPending(true);
    timers.advance(5000);
    scheduler.setPending(true);
    assert.equal(scheduler.nextDelayMs, 10000);
    scheduler.resetBackoff();
    assert.deepEqual(timers.scheduledDelays, [5000]);
    timers.advance(5000);
    scheduler.setPending(false);
    assert.equal(scheduler.nextDelayMs, 5000);
  });

  it('stops on dispose', () => {
    scheduler.setVisible(true);
    scheduler.setPending(true);
    scheduler.dispose();
    timers.advance(60000);
    assert.equal(refreshes, 0);
  });
});
