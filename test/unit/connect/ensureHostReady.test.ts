import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { ensureHostReady } from '../../../src/connect/ensureHostReady';
import type { HostDependencies } from '../../../src/connect/ensureHostReady';
import { HostRegistry } from '../../../src/connect/hostRegistry';
import { hostKeysBegin, hostKeysEnd } from '../../../src/connect/remoteScripts';
import { trainingNodeTarget } from '../../../src/targets/sshTarget';
import { targetAlias } from '../../../src/targets/targetAlias';
import { KnownHostsFile } from '../../../src/ssh/knownHosts/knownHostsFile';
import { SshKeyStore } from '../../../src/ssh/keys/keyStore';
import { silentLogger } from '../../../src/util/logger';
import { connect, useAwsEnvironment } from '../../builders/awsEnvironment';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import type { JsonObject } from '../../emulator';
import { useEmulator } from '../../support/emulator';

const target = trainingNodeTarget('ready-job');
const alias = targetAlias(target);

/**
 * Everything before the tunnel, against the emulator with real SDK clients. The instance has no
 * agent: the key-install command's result is scripted (GetCommandInvocation), the rest is real.
 */
describe('ensureHostReady', function () {
  this.timeout(30_000);
  const scenario = new ScenarioBuilder().trainingJob('ready-job');
  const instanceId = scenario.trainingRegistration('ready-job');
  const emulator = useEmulator(scenario.build());
  const aws = useAwsEnvironment(() => emulator().env(me.name));
  let deps: HostDependencies;
  let hostKey: string;

  beforeEach(async () => {
    const state = join(aws.dir(), 'state');
    const keys = new SshKeyStore({ directory: join(state, 'keys'), logger: silentLogger });
    deps = {
      connection: await connect(),
      keys,
      knownHosts: new KnownHostsFile({ path: join(state, 'known_hosts') }),
      registry: new HostRegistry(state),
      logger: silentLogger,
    };
    // Any valid OpenSSH public key will do as the container's host key.
    hostKey = (await keys.ensureKey('stand-in-host-key')).keyPair.publicKeyLine;
    installAnswers({
      Status: 'Success',
      StandardOutputContent: `${hostKeysBegin}\n${hostKey}\n${hostKeysEnd}\n`,
    });
  });

  function installAnswers(invocation: JsonObject): void {
    emulator().addOperations('ssm', { GetCommandInvocation: () => invocation }, { replace: true });
  }

  const callsSince = (since: number): string[] =>
    emulator()
      .calls.filter({ since })
      .map((c) => c.operation);

  const typeAndKey = (line: string): string => line.split(' ').slice(0, 2).join(' ');

  async function pinned(): Promise<string[]> {
    return (await deps.knownHosts.hostKeys(alias)).map((key) => `${key.type} ${key.base64}`);
  }

  it('the first time: installs the key, pins the host keys and records the instance', async () => {
    const ready = await ensureHostReady(deps, alias, target);
    assert.equal(ready.pushed, true);
    assert.equal(ready.instanceId, instanceId);
    assert.deepEqual(await pinned(), [typeAndKey(hostKey)]);
    assert.equal((await deps.registry.get(alias))?.instanceId, instanceId);
  });

  it('a recent record is trusted without one AWS call; an old one is looked up but not pushed again', async () => {
    await ensureHostReady(deps, alias, target);
    let since = emulator().calls.lastSeq;
    const trusted = await ensureHostReady(deps, alias, target, { trustRecordForMs: 60_000 });
    assert.deepEqual(callsSince(since), []);
    assert.equal(trusted.pushed, false);
    assert.equal(trusted.node, undefined, 'not resolved');
    assert.equal(trusted.instanceId, instanceId);

    since = emulator().calls.lastSeq;
    const looked = await ensureHostReady(deps, alias, target);
    assert.equal(looked.pushed, false);
    assert.equal(looked.node?.instance.instanceId, instanceId);
    const calls = callsSince(since);
    assert.ok(calls.includes('DescribeInstanceInformation'), calls.join(', '));
    assert.ok(!calls.includes('SendCommand'), calls.join(', '));
  });

  it('forcePush installs the key again even with a trusted record', async () => {
    await ensureHostReady(deps, alias, target);
    const since = emulator().calls.lastSeq;
    const ready = await ensureHostReady(deps, alias, target, { trustRecordForMs: 60_000, forcePush: true });
    assert.equal(ready.pushed, true);
    assert.equal(callsSince(since).filter((operation) => operation === 'SendCommand').length, 1);
  });

  it('a failed install writes nothing: no record, nothing pinned; the next attempt installs', async () => {
    installAnswers({
      Status: 'Failed',
      StatusDetails: 'Failed',
      ResponseCode: 1,
      StandardErrorContent: 'disk full',
    });
    await assert.rejects(ensureHostReady(deps, alias, target), { code: 'RemoteCommandFailed' });
    assert.equal(await deps.registry.get(alias), undefined);
    assert.deepEqual(await pinned(), []);

    installAnswers({ Status: 'Success', StandardOutputContent: 'no markers: sshd has no host keys' });
    await assert.rejects(ensureHostReady(deps, alias, target), { code: 'NoHostKeys' });
    assert.equal(await deps.registry.get(alias), undefined);
    assert.deepEqual(await pinned(), []);

    installAnswers({
      Status: 'Success',
      StandardOutputContent: `${hostKeysBegin}\n${hostKey}\n${hostKeysEnd}\n`,
    });
    assert.equal((await ensureHostReady(deps, alias, target)).pushed, true);
  });

  it('a failed forced push keeps the earlier record and pins as they were', async () => {
    await ensureHostReady(deps, alias, target);
    const before = await deps.registry.get(alias);
    installAnswers({
      Status: 'Failed',
      StatusDetails: 'Failed',
      ResponseCode: 1,
      StandardErrorContent: 'disk full',
    });
    await assert.rejects(ensureHostReady(deps, alias, target, { forcePush: true }), {
      code: 'RemoteCommandFailed',
    });
    assert.deepEqual(await deps.registry.get(alias), before);
    assert.deepEqual(await pinned(), [typeAndKey(hostKey)]);
  });
});
