import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits a bounded number of event-loop turns for a condition driven by in-process I/O (sockets on
 * 127.0.0.1, streams); fails if it never holds. No clock involved.
 */
export async function until(condition: () => boolean, turns = 20_000): Promise<void> {
  for (let i = 0; i < turns && !condition(); i += 1) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(condition(), 'condition never became true');
}

export interface EventuallyOptions {
  /** Give up after this long (default 30 s): a bound for a hung test, not an assertion on speed. */
  readonly timeoutMs?: number;
  /** Pause between checks (default 50 ms). */
  readonly intervalMs?: number;
  /** Added to the failure message, e.g. the log of the container being waited for. */
  readonly detail?: () => string;
}

/**
 * Polls `check` until it returns something other than undefined or false (a change in another
 * process: a container, a child, the emulator) and returns that; fails naming `what` otherwise.
 */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  options: EventuallyOptions = {},
): Promise<Exclude<T, undefined | false>> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as Exclude<T, undefined | false>;
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for ${what}${options.detail ? `\n${options.detail()}` : ''}`);
    }
    await sleep(options.intervalMs ?? 50);
  }
}
