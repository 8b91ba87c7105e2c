import * as assert from 'node:assert/strict';
import type { SSMClient } from '@aws-sdk/client-ssm';
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
} from '@aws-sdk/client-ssm';
import { runShellCommand } from '../../../src/connect/runShellCommand';

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
