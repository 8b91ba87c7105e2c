import * as assert from 'node:assert/strict';
import { InterruptScope, runInterruptible, wasInterrupted } from '../../../src/cli/interruptScope';
import { MemoryLogger } from '../../../src/util/logger';

/** Issue 13, defect 8: Ctrl-C during config/connect cancels and runs the registered cleanups. */
describe('InterruptScope', () => {
  it('on the first signal cancels and runs cleanups; a second exits at once; dispose stops listening', async () => {
    const exits: number[] = [];
    const before = process.listenerCount('SIGTERM');
    const scope = new InterruptScope(new MemoryLogger(), (code) => exits.push(code));
    const ran: string[] = [];
    scope.onInterrupt(async () => {
      ran.push('kept');
    });
    const done = scope.onInterrupt(() => {
      ran.push('unregistered');
    });
    done();
    scope.onInterrupt(() => {
      throw new Error('a failing cleanup does not stop the others');
    });
    assert.equal(scope.signal.cancelled, false);
    process.emit('SIGTERM', 'SIGTERM');
    assert.equal(scope.signal.cancelled, true);
    assert.equal(scope.exitCode, 143);
    process.emit('SIGINT', 'SIGINT');
    assert.deepEqual(exits, [130]);
    await scope.dispose();
    assert.deepEqual(ran, ['kept']);
    assert.equal(process.listenerCount('SIGTERM'), before);
  });

  it('reports no exit code when nothing interrupted it', async () => {
    const scope = new InterruptScope(new MemoryLogger(), () => assert.fail('exit'));
    assert.equal(scope.exitCode, undefined);
    await scope.dispose();
  });
});

describe('runInterruptible', () => {
  const translate = (error: unknown): unknown => new Error(`translated: ${(error as Error).message}`);

  it("returns the step's result when nothing interrupted it", async () => {
    const result = await runInterruptible(new MemoryLogger(), translate, () => Promise.resolve('host'));
    assert.equal(result, 'host');
    assert.equal(wasInterrupted(result), false);
  });

  it('returns the exit status when a signal cancelled the step, whether the step then failed or finished', async () => {
    const failed = await runInterruptible(new MemoryLogger(), translate, (signal) => {
      process.emit('SIGTERM', 'SIGTERM');
      return Promise.reject(new Error(signal.cancelled ? 'cancelled' : 'not cancelled'));
    });
    assert.deepEqual(failed, { interrupted: 143 });
    const finished = await runInterruptible(new MemoryLogger(), translate, () => {
      process.emit('SIGINT', 'SIGINT');
      return Promise.resolve('host');
    });
    assert.deepEqual(finished, { interrupted: 130 });
  });

  it('translates any other failure', async () => {
    await assert.rejects(
      runInterruptible(new MemoryLogger(), translate, () => Promise.reject(new Error('AccessDenied'))),
      /translated: AccessDenied/,
    );
  });
});
