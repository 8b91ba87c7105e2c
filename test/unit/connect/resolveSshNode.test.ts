import * as assert from 'node:assert/strict';
import { resolveSshNode } from '../../../src/connect/resolveTarget';
import type { TrainingNodeTarget } from '../../../src/targets/sshTarget';
import { trainingNodeTarget } from '../../../src/targets/sshTarget';
import { CancellationSource } from '../../../src/util/sleep';
import { connect, useAwsEnvironment } from '../../builders/awsEnvironment';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { holdOperation } from '../../support/heldOperation';
import { useEmulator } from '../../support/emulator';

const job = (jobName: string, node?: string): TrainingNodeTarget => trainingNodeTarget(jobName, node);

/** The resolution Connect, the ProxyCommand and the CLI share: the emulator and real SDK clients. */
describe('resolveSshNode', function () {
  this.timeout(30_000);
  const scenario = new ScenarioBuilder();
  for (const name of ['ready-job', 'two-node-job', 'offline-job', 'waking-job', 'bare-job', 'held-job']) {
    scenario.trainingJob(name);
  }
  scenario.trainingJob('finished-job', { status: 'Completed' });
  scenario.trainingRegistration('ready-job');
  scenario.trainingRegistration('two-node-job', { host: 'algo-1' });
  const secondNode = scenario.trainingRegistration('two-node-job', { host: 'algo-2' });
  const offline = scenario.trainingRegistration('offline-job', { pingStatus: 'ConnectionLost' });
  const waking = scenario.trainingRegistration('waking-job', { pingStatus: 'ConnectionLost' });
  scenario.trainingRegistration('held-job');
  const emulator = useEmulator(scenario.build());
  useAwsEnvironment(() => emulator().env(me.name));

  it('finds the Online registration of the job (algo-1 unless a node is named)', async () => {
    const connection = await connect();
    const node = await resolveSshNode(connection, job('ready-job'));
    assert.equal(node.name, 'algo-1');
    assert.equal(node.instance.pingStatus, 'Online');
    assert.equal(
      (await resolveSshNode(connection, job('two-node-job', 'algo-2'))).instance.instanceId,
      secondNode,
    );
  });

  it('a node the job does not have: NodeNotFound', async () => {
    await assert.rejects(resolveSshNode(await connect(), job('two-node-job', 'algo-3')), {
      code: 'NodeNotFound',
    });
  });

  it('a job SageMaker does not know: TrainingJobNotFound; one that ended: JobNotRunning', async () => {
    const connection = await connect();
    await assert.rejects(resolveSshNode(connection, job('no-such-job')), { code: 'TrainingJobNotFound' });
    await assert.rejects(resolveSshNode(connection, job('finished-job')), { code: 'JobNotRunning' });
  });

  it('no registration at all: NoSshHelper', async () => {
    await assert.rejects(resolveSshNode(await connect(), job('bare-job')), { code: 'NoSshHelper' });
  });

  it('a registration that is not Online, without waiting: InstanceOffline naming it', async () => {
    await assert.rejects(
      resolveSshNode(await connect(), job('offline-job')),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'InstanceOffline');
        assert.ok(error.message.includes(offline), error.message);
        return true;
      },
    );
  });

  it('waits while the registration is offline and returns it once it comes Online', async () => {
    const waiting: string[] = [];
    const node = await resolveSshNode(await connect(), job('waking-job'), {
      waitSeconds: 25,
      onWaiting: (message) => {
        waiting.push(message);
        emulator().setPingStatus(waking, 'Online');
      },
    });
    assert.equal(node.instance.instanceId, waking);
    assert.equal(waiting.length, 1);
    assert.ok(waiting[0]!.includes(waking), waiting[0]);
  });

  it('cancelled while waiting: Cancelled', async () => {
    const cancel = new CancellationSource();
    await assert.rejects(
      resolveSshNode(await connect(), job('bare-job'), {
        waitSeconds: 25,
        signal: cancel,
        onWaiting: () => cancel.cancel(),
      }),
      { code: 'Cancelled' },
    );
  });

  it('cancelled during a lookup: the call in flight is aborted while the emulator still holds it', async () => {
    const connection = await connect();
    await connection.identity();
    const held = holdOperation(emulator(), 'ssm', 'DescribeInstanceInformation');
    const cancel = new CancellationSource();
    try {
      const resolving = resolveSshNode(connection, job('held-job'), { waitSeconds: 25, signal: cancel });
      await held.arrived;
      cancel.cancel();
      await assert.rejects(resolving, { code: 'Cancelled' });
      assert.equal(held.holding, true, 'rejected before the emulator answered');
    } finally {
      held.release();
    }
  });
});
