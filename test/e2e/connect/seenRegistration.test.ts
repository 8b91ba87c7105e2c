import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AwsConnection } from '../../../src/aws/awsAccess';
import { ensureHostReady } from '../../../src/connect/ensureHostReady';
import type { HostDependencies } from '../../../src/connect/ensureHostReady';
import { HostRegistry } from '../../../src/connect/hostRegistry';
import { targetAlias } from '../../../src/targets/targetAlias';
import { findSshInstances } from '../../../src/instances/findSshInstances';
import type { SshNode } from '../../../src/instances/matchSshNodes';
import { KnownHostsFile } from '../../../src/ssh/knownHosts/knownHostsFile';
import { SshKeyStore } from '../../../src/ssh/keys/keyStore';
import { silentLogger } from '../../../src/util/logger';
import { connect, useAwsEnvironment } from '../../builders/awsEnvironment';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';

const target = { kind: 'trainingNode', jobName: 'seen-job' } as const;
const alias = targetAlias(target);
const lookups = ['DescribeInstanceInformation', 'DescribeActivations', 'DescribeTrainingJob'];

/**
 * Connect from the explorer reuses the registration the tree just read instead of looking it up
 * again; when SSM no longer knows that instance, it looks it up after all. Real SDK clients, the
 * emulator and a simulated container running the real key-install script.
 */
describe('Connect with the registration the explorer showed', function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let connection: AwsConnection;
  let live: SshNode;
  const aws = useAwsEnvironment(() => emulator.env('me'));

  before(async () => {
    const b = new ScenarioBuilder();
    b.trainingJob('seen-job', { status: 'InProgress', creationTime: '-5m', ssh: { owner: me.userId } });
    emulator = await startEmulator({
      scenario: b.bucket().build(),
    });
  });
  beforeEach(async () => {
    connection = await connect();
    const [instance] = await findSshInstances(await connection.clients.ssm(), {
      resourceNames: ['seen-job'],
    });
    live = { name: 'algo-1', instance, staleCount: 0, ownedByCaller: true };
  });
  after(() => emulator.close());

  function deps(name: string): HostDependencies {
    const state = join(aws.dir(), name);
    return {
      connection,
      keys: new SshKeyStore({ directory: join(state, 'keys'), logger: silentLogger }),
      knownHosts: new KnownHostsFile({ path: join(state, 'known_hosts') }),
      registry: new HostRegistry(state),
      logger: silentLogger,
    };
  }

  const operationsSince = (since: number): string[] =>
    emulator.calls.filter({ since }).map((c) => c.operation);
  const lastSeq = (): number => emulator.calls.lastSeq;

  it('installs the key on a freshly seen Online instance without looking it up again', async () => {
    const since = lastSeq();
    const ready = await ensureHostReady(deps('fresh'), alias, target, {
      seen: { nodes: [live], checkedAt: Date.now() },
    });
    assert.equal(ready.instanceId, live.instance.instanceId);
    assert.equal(ready.pushed, true);
    const operations = operationsSince(since);
    assert.ok(operations.includes('SendCommand'), operations.join(', '));
    for (const lookup of lookups)
      assert.ok(!operations.includes(lookup), `${lookup} in ${operations.join(', ')}`);
  });

  it('looks the instance up when SSM no longer knows the one the tree showed', async () => {
    const gone: SshNode = {
      ...live,
      instance: { ...live.instance, instanceId: 'mi-0123456789abcdef0' },
    };
    const since = lastSeq();
    const ready = await ensureHostReady(deps('gone'), alias, target, {
      seen: { nodes: [gone], checkedAt: Date.now() },
    });
    assert.equal(ready.instanceId, live.instance.instanceId);
    const operations = operationsSince(since);
    assert.equal(operations.filter((op) => op === 'SendCommand').length, 2, operations.join(', '));
    assert.ok(operations.includes('DescribeInstanceInformation'), operations.join(', '));
  });

  it('looks again when the tree is more than a minute old or showed the node offline', async () => {
    for (const seen of [
      { nodes: [live], checkedAt: Date.now() - 61_000 },
      {
        nodes: [{ ...live, instance: { ...live.instance, pingStatus: 'ConnectionLost' } }],
        checkedAt: Date.now(),
      },
    ]) {
      const since = lastSeq();
      await ensureHostReady(deps(`old-${seen.checkedAt}`), alias, target, { seen });
      assert.ok(operationsSince(since).includes('DescribeInstanceInformation'));
    }
  });
});
