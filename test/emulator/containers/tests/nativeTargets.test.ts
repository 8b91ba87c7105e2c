import * as assert from 'node:assert/strict';
import {
  DescribeActivationsCommand,
  DescribeInstanceInformationCommand,
  ResumeSessionCommand,
  StartSessionCommand,
  TerminateSessionCommand,
} from '@aws-sdk/client-ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { runShellScript } from '../../../../src/connect/shellScript';
import type { ShellSessionApi } from '../../../../src/ssm/shellSessionStart';
import { ScenarioBuilder } from '../../../builders/scenarioBuilder';
import { clientsFor, useEmulator } from '../../../support/emulator';
import { remoteDebugTarget } from '../declared';

/** The three Session Manager calls a shell needs, straight on the SDK client (no translation). */
function sdkShellApi(ssm: SSMClient): ShellSessionApi {
  return {
    async startSession(request) {
      const out = await ssm.send(new StartSessionCommand(request));
      return { SessionId: out.SessionId!, StreamUrl: out.StreamUrl!, TokenValue: out.TokenValue! };
    },
    async resumeSession(sessionId) {
      const out = await ssm.send(new ResumeSessionCommand({ SessionId: sessionId }));
      return { tokenValue: out.TokenValue ?? '', streamUrl: out.StreamUrl };
    },
    async terminateSession(sessionId) {
      await ssm.send(new TerminateSessionCommand({ SessionId: sessionId }));
    },
  };
}

const scenario = new ScenarioBuilder()
  .trainingJob('Debug-Job', {
    instanceCount: 2,
    creationTime: '-5m',
    remoteDebug: { enabled: true, nodes: 2 },
  })
  .trainingJob('Plain-Job', {
    creationTime: '-5m',
    remoteDebug: { enabled: false, sshd: false },
  })
  .build();

/**
 * Native containers: SageMaker's own agent (AWS's amazon-ssm-agent, registered by the emulator with
 * a hidden activation) answering `sagemaker-training-job:<job>_algo-<N>`, as remote debug does.
 */
describe('containers: native Session Manager targets (remote debug)', function () {
  this.timeout(180_000);
  const emulator = useEmulator(scenario);
  const ssm = (): SSMClient => clientsFor(emulator(), 'me').ssm;
  const shell = (target: string, script: string): Promise<string> =>
    runShellScript({ api: sdkShellApi(ssm()), target, purpose: 'Testing', script }).then((r) => r.output);
  const startError = async (target: string): Promise<string> => {
    try {
      await ssm().send(new StartSessionCommand({ Target: target }));
      return 'no error';
    } catch (error) {
      return (error as Error).name;
    }
  };

  it('starts one container per node with the agent connected, and records RemoteDebug on the job', () => {
    const nodes = emulator()
      .containers.nodes()
      .filter((node) => node.resourceName === 'Debug-Job');
    assert.deepEqual(
      nodes.map((node) => [node.host, node.nativeTarget, node.instanceId !== undefined]),
      [
        ['algo-1', remoteDebugTarget('Debug-Job', 1), true],
        ['algo-2', remoteDebugTarget('Debug-Job', 2), true],
      ],
    );
    assert.equal(emulator().state.trainingJobs.get('Debug-Job')!.remoteDebugEnabled, true);
    assert.equal(emulator().state.trainingJobs.get('Plain-Job')!.remoteDebugEnabled, false);
  });

  it("hides SageMaker's agent from the customer: no managed instance, no activation", async () => {
    const instances = await ssm().send(new DescribeInstanceInformationCommand({}));
    assert.deepEqual(instances.InstanceInformationList, []);
    const activations = await ssm().send(new DescribeActivationsCommand({}));
    assert.deepEqual(activations.ActivationList, []);
    const hidden = emulator()
      .containers.nodes()
      .find((node) => node.instanceId)!.instanceId!;
    assert.equal(
      await startError(hidden),
      'TargetNotConnected',
      'its mi- id is not a target for the customer',
    );
  });

  it('a shell on the native target reaches that node (hostname algo-2), with an sshd binary in the image', async () => {
    // AWS's agent with a registered (onprem) identity runs Standard_Stream shells as ssm-user; only
    // its container mode (an ECS-style identity, which the emulator does not serve) runs them as root.
    assert.equal(await shell(remoteDebugTarget('Debug-Job', 2), 'hostname; id -un'), 'algo-2\nssm-user\n');
    assert.equal(
      await shell(remoteDebugTarget('Debug-Job', 1), 'hostname; command -v sshd'),
      'algo-1\n/usr/sbin/sshd\n',
    );
    assert.match(
      await shell(remoteDebugTarget('Debug-Job', 1), 'pgrep -x sshd || echo none'),
      /^none\n$/,
      'sshd is not running',
    );
  });

  it("an unknown target, and a job's node without remote debug, are TargetNotConnected", async () => {
    assert.equal(await startError(remoteDebugTarget('No-Such-Job', 1)), 'TargetNotConnected');
    assert.equal(await startError(remoteDebugTarget('Debug-Job', 3)), 'TargetNotConnected');
    assert.equal(await startError(remoteDebugTarget('Plain-Job', 1)), 'TargetNotConnected');
  });

  it('startNativeAgent brings a container online later (UpdateTrainingJob), in an image without sshd', async () => {
    const node = emulator()
      .containers.nodes()
      .find((candidate) => candidate.resourceName === 'Plain-Job')!;
    const instanceId = await emulator().containers.startNativeAgent(node.container.id);
    assert.equal(await emulator().containers.startNativeAgent(node.container.id), instanceId, 'idempotent');
    assert.equal(
      await shell(
        remoteDebugTarget('Plain-Job', 1),
        'hostname; command -v sshd || echo "no sshd"; ls /usr/sbin/sshd 2>&1 >/dev/null | wc -l',
      ),
      'algo-1\nno sshd\n1\n',
    );
  });

  it('registerNativeTarget: any target string reaches a container with one call (HyperPod, spaces)', async () => {
    const node = emulator()
      .containers.nodes()
      .find((candidate) => candidate.nativeTarget === remoteDebugTarget('Debug-Job', 2))!;
    const target = 'sagemaker-cluster:abcd1234efgh_workers-i-0123456789abcdef0';
    assert.equal(await startError(target), 'TargetNotConnected');
    emulator().containers.registerNativeTarget(target, node.container.id);
    assert.equal(await shell(target, 'hostname'), 'algo-2\n');
  });
});

describe('scenario checks: remoteDebug', () => {
  const problemsOf = async (trainingJobs: unknown[]): Promise<string> => {
    const { validateScenario, ScenarioError } = await import('../..');
    try {
      validateScenario({ sagemaker: { trainingJobs } }, new Date());
    } catch (error) {
      assert.ok(error instanceof ScenarioError);
      return error.problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n');
    }
    assert.fail('the scenario was accepted');
  };

  it('only on running jobs, nodes within instanceCount, and not together with ssh', async () => {
    const problems = await problemsOf([
      { name: 'done', status: 'Completed', remoteDebug: {} },
      { name: 'small', status: 'InProgress', instanceCount: 1, remoteDebug: { nodes: 2 } },
      { name: 'both', status: 'InProgress', ssh: {}, remoteDebug: {} },
    ]);
    assert.equal(problems.split('\n').length, 3, problems);
    assert.match(problems, /trainingJobs\[0\]\.remoteDebug: only an InProgress job has running containers/);
    assert.match(
      problems,
      /trainingJobs\[1\]\.remoteDebug\.nodes: is 2, more than the job's instanceCount \(1\)/,
    );
    assert.match(problems, /trainingJobs\[2\]\.remoteDebug: a job declares either "ssh"/);
  });

  it('names an unknown field', async () => {
    assert.match(
      await problemsOf([{ name: 'typo', status: 'InProgress', remoteDebug: { enable: true } }]),
      /remoteDebug\.enable: unknown field \(allowed: enabled, nodes, sshd\)/,
    );
  });
});
