import * as assert from 'node:assert/strict';
import { InterruptScope } from '../../../src/cli/interruptScope';
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
