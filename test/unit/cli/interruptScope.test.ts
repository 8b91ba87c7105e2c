import * as assert from 'node:assert/strict';
import { InterruptScope, runInterruptible, wasInterrupted } from '../../../src/cli/interruptScope';
import { MemoryLogger } from '../../../src/util/logger';

/** Issue 13, defect 8: Ctrl-C during config/connect cancels the work, whose rollback then runs. */
describe('InterruptScope', () => {
  it('the first signal cancels; a second exits at once; dispose stops listening', () => {
    const exits: number[] = [];
    const before = process.listenerCount('SIGTERM');
    const scope = new InterruptScope(new MemoryLogger(), (code) => exits.push(code));
    assert.equal(scope.signal.cancelled, false);
    process.emit('SIGTERM', 'SIGTERM');
    assert.equal(scope.signal.cancelled, true);
    assert.equal(scope.exitCode, 143);
    process.emit('SIGINT', 'SIGINT');
    assert.deepEqual(exits, [130]);
    scope.dispose();
    assert.equal(process.listenerCount('SIGTERM'), before);
  });

  it('reports no exit code when nothing interrupted it', () => {
    const scope = new InterruptScope(new MemoryLogger(), () => assert.fail('exit'));
    assert.equal(scope.exitCode, undefined);
    scope.dispose();
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
    let stepSawCancel = false;
    const failed = await runInterruptible(new MemoryLogger(), translate, (signal) => {
      process.emit('SIGTERM', 'SIGTERM');
      stepSawCancel = signal.cancelled;
      return Promise.reject(new Error('cancelled'));
    });
    assert.deepEqual(failed, { interrupted: 143 });
    assert.equal(stepSawCancel, true, "the signal cancels the step's CancellationSignal");
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
