import * as assert from 'node:assert/strict';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { cliHome } from './cliHarness';
import type { CliHome } from './cliHarness';

/**
 * `sm-ssh stop-waiting` reports each node, like the extension's Stop Waiting (one shared operation):
 * a node that fails does not hide the nodes that were released, and the exit status says one failed.
 */
describe('sm-ssh stop-waiting: one line per node', function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let cli: CliHome;

  before(async () => {
    const b = new ScenarioBuilder();
    b.trainingJob('wait-job', {
      status: 'InProgress',
      instanceCount: 2,
      creationTime: '-5m',
      ssh: { nodes: 2, owner: me.userId },
    });
    emulator = await startEmulator({ scenario: b.build() });
    cli = cliHome(emulator);
  });
  after(async () => {
    await emulator?.close();
    cli?.remove();
  });
  afterEach(() => emulator.faults.clear());

  it('releases every node it reaches, names the one it could not, and exits 1', async () => {
    emulator.faults.add({
      service: 'ssm',
      operation: 'SendCommand',
      nth: 2,
      error: { code: 'AccessDeniedException', message: 'not authorized to perform: ssm:SendCommand' },
    });
    const { code, stdout, stderr } = await cli.run(['stop-waiting', 'wait-job.training.sagemaker']);
    assert.equal(code, 1, stderr);
    const released = stdout.trim().split('\n');
    const failed = stderr.split('\n').filter((line) => /^algo-\d: failed: /.test(line));
    assert.equal(released.length, 1, stdout);
    assert.match(released[0], /^algo-[12]: .*sm-wait-stopped/);
    assert.equal(failed.length, 1, stderr);
    assert.match(failed[0], /ssm:SendCommand/);
    const nodes = [released[0], failed[0]].map((line) => line.split(':')[0]).sort();
    assert.deepEqual(nodes, ['algo-1', 'algo-2']);
  });

  it('exits 0 when every node was released', async () => {
    const { code, stdout, stderr } = await cli.run(['stop-waiting', 'wait-job.training.sagemaker']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^algo-1: .*sm-wait-stopped/m);
    assert.match(stdout, /^algo-2: .*sm-wait-stopped/m);
  });
});
