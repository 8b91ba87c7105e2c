import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { HostRegistry } from '../../../src/connect/hostRegistry';
import { trainingAlias } from '../../../src/targets/targetAlias';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { cliHome } from './cliHarness';
import type { CliHome } from './cliHarness';

const alias = trainingAlias('moved-job');

/**
 * `sm-ssh start-proxy` trusts a recent record of where the container is (no AWS lookup). When that
 * instance is not connected any more (the container restarted and registered anew), StartSession
 * says TargetNotConnected: the proxy forgets the record, looks the container up, installs the key
 * there and connects, all within the one ssh command. Real ssh, the CLI process, the emulator and a
 * simulated container.
 */
describe('sm-ssh start-proxy when the trusted instance is gone', function () {
  this.timeout(180_000);
  let emulator: Emulator;
  let cli: CliHome;
  let stale: string;

  before(async () => {
    const b = new ScenarioBuilder();
    b.trainingJob('moved-job', { status: 'InProgress', creationTime: '-5m', ssh: { owner: me.userId } });
    b.trainingJob('old-job', { status: 'InProgress', creationTime: '-1h' });
    stale = b.trainingRegistration('old-job', { pingStatus: 'ConnectionLost' });
    emulator = await startEmulator({ scenario: b.bucket().build() });
    cli = cliHome(emulator);
  });
  after(async () => {
    await emulator.close();
    cli.remove();
  });

  const ssh = (command: string): Promise<string> => cli.ssh(alias, command);

  it('forgets the record, finds the container again and connects in the same ssh command', async () => {
    const configured = await cli.run(['config', alias]);
    assert.equal(configured.code, 0, configured.stderr);
    assert.equal(await ssh('hostname'), 'algo-1');
    const registry = new HostRegistry(join(cli.home, 'state', 'sagemaker-ssh'));
    const live = (await registry.get(alias))!;
    // As if the container had been elsewhere a minute ago: a fresh record of an instance now offline.
    await registry.set({ ...live, instanceId: stale, updatedAt: new Date().toISOString() });
    const since = emulator.calls.lastSeq;

    assert.equal(await ssh('hostname'), 'algo-1');

    const calls = emulator.calls.filter({ since });
    const sessions = calls.filter((call) => call.operation === 'StartSession');
    assert.deepEqual(
      sessions.map((call) => call.errorCode),
      ['TargetNotConnected', undefined],
      'the trusted instance first, then the one found again',
    );
    assert.ok(
      calls.some((call) => call.operation === 'DescribeInstanceInformation'),
      'looked up again',
    );
    assert.equal((await registry.get(alias))?.instanceId, live.instanceId);
  });
});
