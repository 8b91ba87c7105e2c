import * as assert from 'node:assert/strict';
import type { SSMClient } from '@aws-sdk/client-ssm';
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
} from '@aws-sdk/client-ssm';
import { runShellCommand } from '../../../src/connect/runShellCommand';
import { CancellationSource } from '../../../src/util/sleep';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import type { Emulator, JsonObject } from '../../emulator';
import { holdOperation } from '../../support/heldOperation';
import { clientsFor, useEmulator } from '../../support/emulator';

type Invocation = {
  Status: string;
  StatusDetails?: string;
  ResponseCode?: number;
  StandardErrorContent?: string;
};

/** An SSM client whose answers the test chooses (the real SDK command classes, no network). */
function fakeSsm(answers: { send?: () => unknown; invocation: Invocation; pingStatus?: string }): SSMClient {
  return {
    send: async (command: unknown) => {
      if (command instanceof SendCommandCommand) {
        if (answers.send) return answers.send();
        return { Command: { CommandId: 'c-1' } };
      }
      if (command instanceof GetCommandInvocationCommand) return answers.invocation;
      if (command instanceof DescribeInstanceInformationCommand) {
        return { InstanceInformationList: answers.pingStatus ? [{ PingStatus: answers.pingStatus }] : [] };
      }
      throw new Error('unexpected command');
    },
  } as unknown as SSMClient;
}

const request = {
  instanceId: 'mi-0123456789abcdef0',
  purpose: 'Installing the SSH public key',
  lines: ['true'],
};

describe('runShellCommand: how a command that got no answer ends', () => {
  it('ExecutionTimedOut with no exit code and no output: the agent never reported (not "no error")', async () => {
    const ssm = fakeSsm({
      invocation: { Status: 'TimedOut', StatusDetails: 'ExecutionTimedOut', ResponseCode: -1 },
      pingStatus: 'Online',
    });
    await assert.rejects(runShellCommand(ssm, request), (error: { code?: string; message: string }) => {
      assert.equal(error.code, 'AgentStoppedResponding');
      assert.match(error.message, /never reported the result .*Online/);
      assert.match(error.message, /CloudWatch log/);
      return true;
    });
  });

  it('the same with the instance gone from SSM says so', async () => {
    const ssm = fakeSsm({
      invocation: { Status: 'TimedOut', StatusDetails: 'ExecutionTimedOut', ResponseCode: -1 },
    });
    await assert.rejects(runShellCommand(ssm, request), (error: { code?: string; message: string }) => {
      assert.equal(error.code, 'AgentStoppedResponding');
      assert.match(error.message, /stopped responding while the command ran \(its status is now gone\)/);
      return true;
    });
  });

  it('a script the agent killed at its timeout (exit code 137) stays a failed command', async () => {
    const ssm = fakeSsm({
      invocation: { Status: 'TimedOut', StatusDetails: 'ExecutionTimedOut', ResponseCode: 137 },
      pingStatus: 'Online',
    });
    await assert.rejects(runShellCommand(ssm, request), { code: 'RemoteCommandFailed' });
  });

  it("SendCommand's InvalidInstanceId (offline or deregistered) becomes InstanceGone", async () => {
    const ssm = fakeSsm({
      send: () => {
        throw Object.assign(new Error('Instances [[mi-0123456789abcdef0]] not in a valid state'), {
          name: 'InvalidInstanceId',
        });
      },
      invocation: { Status: 'Success' },
    });
    await assert.rejects(runShellCommand(ssm, request), (error: { code?: string; message: string }) => {
      assert.equal(error.code, 'InstanceGone');
      assert.match(error.message, /registration mi-0123456789abcdef0 is offline or gone.*refresh/s);
      return true;
    });
  });
});

/** An Online registration with no agent behind it: SendCommand accepts, the answers are scripted. */
function runCommandEmulator(): { emulator: () => Emulator; ssm: () => SSMClient; instanceId: string } {
  const scenario = new ScenarioBuilder();
  const instanceId = scenario.trainingRegistration('shell-job');
  const emulator = useEmulator(scenario.trainingJob('shell-job').build());
  return { emulator, ssm: () => clientsFor(emulator(), me.name).ssm, instanceId };
}

function answerInvocations(emulator: Emulator, invocation: JsonObject): void {
  emulator.addOperations('ssm', { GetCommandInvocation: () => invocation }, { replace: true });
}

describe('runShellCommand against the emulator (real SDK client)', function () {
  this.timeout(60_000);
  const { emulator, ssm, instanceId } = runCommandEmulator();
  const onInstance = { ...request, instanceId };
  afterEach(() => emulator().faults.clear());

  it('Success returns what the script printed', async () => {
    answerInvocations(emulator(), { Status: 'Success', StandardOutputContent: 'ssh-ed25519 AAAA\n' });
    const result = await runShellCommand(ssm(), onInstance);
    assert.equal(result.stdout, 'ssh-ed25519 AAAA\n');
    assert.match(result.commandId, /^[0-9a-f-]{36}$/);
  });

  for (const status of [
    'Failed',
    'Cancelled',
    'TimedOut',
    'DeliveryTimedOut',
    'ExecutionTimedOut',
    'Undeliverable',
    'Terminated',
    'InvalidPlatform',
    'AccessDenied',
  ]) {
    it(`${status} is a failed command that carries the script's stderr`, async () => {
      answerInvocations(emulator(), {
        Status: status,
        StatusDetails: status,
        ResponseCode: 3,
        StandardErrorContent: 'install: cannot write',
      });
      await assert.rejects(
        runShellCommand(ssm(), onInstance),
        (error: { code?: string; message: string }) => {
          assert.equal(error.code, 'RemoteCommandFailed');
          assert.ok(error.message.includes('install: cannot write'), error.message);
          return true;
        },
      );
    });
  }

  it('InvocationDoesNotExist right after SendCommand means "not yet", then the result counts', async () => {
    answerInvocations(emulator(), { Status: 'Success', StandardOutputContent: 'done' });
    emulator().faults.add({
      service: 'ssm',
      operation: 'GetCommandInvocation',
      first: 3,
      error: { code: 'InvocationDoesNotExist' },
    });
    const before = emulator().calls.count({ operation: 'GetCommandInvocation' });
    const result = await runShellCommand(ssm(), onInstance);
    assert.equal(result.stdout, 'done');
    assert.equal(emulator().calls.count({ operation: 'GetCommandInvocation' }) - before, 4);
  });

  it('a command that never gets a result ends with RemoteCommandTimeout (after its timeout and the grace)', async function () {
    this.timeout(90_000);
    emulator().faults.add({
      service: 'ssm',
      operation: 'GetCommandInvocation',
      error: { code: 'InvocationDoesNotExist' },
    });
    await assert.rejects(runShellCommand(ssm(), { ...onInstance, timeoutSeconds: 1 }), {
      code: 'RemoteCommandTimeout',
    });
  });

  it('cancelling aborts the GetCommandInvocation in flight, while the emulator still holds its response', async () => {
    const held = holdOperation(emulator(), 'ssm', 'GetCommandInvocation', { Status: 'Success' });
    const cancel = new CancellationSource();
    try {
      const running = runShellCommand(ssm(), { ...onInstance, signal: cancel });
      await held.arrived;
      cancel.cancel();
      await assert.rejects(running, { code: 'Cancelled' });
      assert.equal(held.holding, true, 'rejected before the emulator answered');
    } finally {
      held.release();
    }
  });
});
