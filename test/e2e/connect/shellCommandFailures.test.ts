import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { runShellCommand } from '../../../src/connect/runShellCommand';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import type { DeclaredNode } from '../../emulator/containers/declared';
import { clientsFor } from '../../support/emulator';

/**
 * Issue 13 defect 10: a Run Command whose agent dies, and one sent to an instance that went
 * offline, end with errors that say what happened (not "ExecutionTimedOut" with no error, not a raw
 * InvalidInstanceId). Real SDK client, the emulator, a simulated container and its agent.
 */
describe('Run Command when the container’s agent goes away', function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let node: DeclaredNode;
  let ssm: SSMClient;

  before(async () => {
    const b = new ScenarioBuilder();
    b.trainingJob('fragile-job', { status: 'InProgress', creationTime: '-5m', ssh: { owner: me.userId } });
    emulator = await startEmulator({ scenario: b.build() });
    node = emulator.containers.nodes().find((candidate) => candidate.host === 'algo-1')!;
    ssm = clientsFor(emulator, 'me').ssm;
  });
  after(() => emulator.close());

  it('an agent that dies mid-command: "the agent stopped responding", long before the execution timeout', async () => {
    const started = once(emulator.containers.hub, 'commandStarted');
    const running = runShellCommand(ssm, {
      instanceId: node.instanceId!,
      purpose: 'Stop waiting',
      lines: ['sleep 600'],
      timeoutSeconds: 600,
    });
    running.catch(() => undefined);
    await started;
    // AWS's agent and its workers (all under /usr/local/lib/amazon-ssm-agent/).
    await node.container.exec("pkill -KILL -f '[a]mazon-ssm-agent' || true");
    await assert.rejects(running, (error: { code?: string; message: string }) => {
      assert.equal(error.code, 'AgentStoppedResponding', error.message);
      assert.match(error.message, /stopped responding/);
      assert.match(error.message, new RegExp(node.instanceId!));
      return true;
    });
  });

  it('a command for an instance that went offline: its registration is offline or gone, refresh', async () => {
    await assert.rejects(
      runShellCommand(ssm, { instanceId: node.instanceId!, purpose: 'Stop waiting', lines: ['true'] }),
      (error: { code?: string; message: string }) => {
        assert.equal(error.code, 'InstanceGone', error.message);
        assert.match(error.message, new RegExp(`${node.instanceId!} is offline or gone`));
        assert.match(error.message, /refresh/);
        return true;
      },
    );
  });
});
