import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { CancelCommandCommand, GetCommandInvocationCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import { startEmulator } from '../..';
import { clientsFor, expectAwsError, useEmulator } from '../../../support/emulator';
import {
  DEVELOPER,
  EXECUTION_ROLE,
  OWNER_USER_ID,
  processesInNamespace,
  runShell,
  waitForInvocation,
} from './helpers';
import { eventually } from '../../../support/wait';

const OFFLINE = 'mi-0000000000000000f';
const UNKNOWN = 'mi-00000000000000abc';

describe('containers: SSM Run Command (AWS-RunShellScript) in a container', () => {
  const emulator = useEmulator({
    identities: [
      DEVELOPER,
      EXECUTION_ROLE,
      {
        name: 'no-send',
        accessKeyId: 'AKIACONTAINERSNOSEND1',
        secretAccessKey: 'no-send-secret',
        arn: 'arn:aws:iam::123456789012:user/no-send',
        userId: 'AIDACONTAINERSNOSEND1',
        deny: ['ssm:SendCommand'],
      },
      {
        name: 'no-shell-document',
        accessKeyId: 'AKIACONTAINERSNODOC01',
        secretAccessKey: 'no-doc-secret',
        arn: 'arn:aws:iam::123456789012:user/no-doc',
        userId: 'AIDACONTAINERSNODOC01',
        deny: [{ action: 'ssm:SendCommand', resource: 'arn:aws:ssm:*::document/AWS-RunShellScript' }],
      },
    ],
    sagemaker: {
      trainingJobs: [
        {
          name: 'run-command-job',
          status: 'InProgress',
          environment: { SSH_OWNER_TAG: OWNER_USER_ID },
          ssh: {},
        },
      ],
    },
    ssm: { instances: [{ id: OFFLINE, pingStatus: 'ConnectionLost' }] },
  });
  const instanceId = (): string => emulator().containers.nodes()[0]!.instanceId!;
  const ssm = () => clientsFor(emulator()).ssm;

  it("runs the commands as root with sh inside the container, in the agent's own working directory", async () => {
    const result = await runShell(ssm(), instanceId(), [
      'set -e',
      'echo "host=$(hostname) user=$(id -un) job=$TRAINING_JOB_NAME"',
      'echo "cwd=$(pwd)"',
      'echo "ssm=$AWS_SSM_INSTANCE_ID region=$AWS_SSM_REGION_NAME"',
    ]);
    assert.equal(result.Status, 'Success');
    assert.equal(result.StatusDetails, 'Success');
    assert.equal(result.ResponseCode, 0);
    assert.equal(result.PluginName, 'aws:runShellScript');
    assert.equal(result.DocumentName, 'AWS-RunShellScript');
    const lines = result.StandardOutputContent!.trim().split('\n');
    assert.equal(lines[0], 'host=algo-1 user=root job=run-command-job');
    // No workingDirectory: AWS's agent tries <orchestration>/downloads/ and, as it does not exist, falls
    // back to the document's DefaultWorkingDirectory, which Run Command leaves empty, so the script runs
    // in the agent's own working directory, / here (agent/plugins/runscript/runscript.go, runCommands;
    // agent/framework/docparser/docparser.go).
    assert.equal(lines[1], 'cwd=/');
    assert.equal(lines[2], `ssm=${instanceId()} region=us-east-1`);
    assert.equal(result.StandardErrorContent, '');
    assert.ok(Date.parse(result.ExecutionStartDateTime!) <= Date.parse(result.ExecutionEndDateTime!));
    assert.match(result.ExecutionElapsedTime!, /^PT\d+\.\d{3}S$/);
  });

  it('reports a failing script as Failed with its exit code and stderr, as the agent words it', async () => {
    const result = await runShell(ssm(), instanceId(), [
      'echo partial',
      'echo "no such thing" >&2',
      'exit 3',
    ]);
    assert.equal(result.Status, 'Failed');
    assert.equal(result.StatusDetails, 'Failed');
    assert.equal(result.ResponseCode, 3);
    assert.equal(result.StandardOutputContent, 'partial\n');
    assert.equal(result.StandardErrorContent, 'no such thing\nfailed to run commands: exit status 3');
  });

  it('enforces executionTimeout: the process group is killed, TimedOut / ExecutionTimedOut with 137', async () => {
    const container = emulator().containers.forInstance(instanceId())!;
    // AWS's agent replaces an executionTimeout below 5 s by 3600 (agent/plugins/pluginutil/pluginutil.go,
    // ValidateExecutionTimeout), so 5 is the shortest that is enforced; a timed-out script's exit code is
    // CommandStoppedPreemptivelyExitCode, 137 (agent/appconfig/constants_unix.go).
    const result = await runShell(ssm(), instanceId(), ['echo started', 'sleep 120', 'echo never'], {
      executionTimeout: '5',
    });
    assert.equal(result.Status, 'TimedOut');
    assert.equal(result.StatusDetails, 'ExecutionTimedOut');
    assert.equal(result.ResponseCode, 137);
    assert.equal(result.StandardOutputContent, 'started\n');
    const sleeping = async () => {
      for (const pid of await processesInNamespace(container.pidNamespaceId)) {
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (cmdline.startsWith('sleep\u0000120')) return true;
      }
      return false;
    };
    await eventually(async () => !(await sleeping()), 'the timed-out sleep to be gone');
  });

  it('cancels a running command (CancelCommand → Cancelled)', async () => {
    const sent = await ssm().send(
      new SendCommandCommand({
        InstanceIds: [instanceId()],
        DocumentName: 'AWS-RunShellScript',
        Parameters: { commands: ['sleep 120'] },
      }),
    );
    const commandId = sent.Command!.CommandId!;
    await eventually(async () => {
      try {
        const state = await ssm().send(
          new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId() }),
        );
        return state.Status === 'InProgress';
      } catch {
        return false;
      }
    }, 'the command to be InProgress');
    await ssm().send(new CancelCommandCommand({ CommandId: commandId }));
    const result = await waitForInvocation(ssm(), commandId, instanceId());
    assert.equal(result.Status, 'Cancelled');
    assert.equal(result.StatusDetails, 'Cancelled');
  });

  it('truncates output like AWS (24,000 stdout, 8,000 stderr)', async () => {
    const result = await runShell(ssm(), instanceId(), [
      "head -c 30000 /dev/zero | tr '\\0' o",
      "head -c 9000 /dev/zero | tr '\\0' e >&2",
    ]);
    assert.equal(result.Status, 'Success');
    // AWS's agent cuts stdout to 24,000 characters ending in its suffix (agent/framework/runpluginutil/
    // runpluginutil.go with pluginutil.StringPrefix and iohandler.DefaultOutputConfig); the service keeps
    // the first 8,000 of stderr.
    assert.equal(result.StandardOutputContent, 'o'.repeat(23_980) + '--output truncated--');
    assert.equal(result.StandardErrorContent, 'e'.repeat(8_000));
  });

  it('refuses unknown and offline instances with InvalidInstanceId, in AWS wording', async () => {
    for (const id of [UNKNOWN, OFFLINE]) {
      const error = await expectAwsError(
        ssm().send(
          new SendCommandCommand({
            InstanceIds: [id],
            DocumentName: 'AWS-RunShellScript',
            Parameters: { commands: ['true'] },
          }),
        ),
        'InvalidInstanceId',
        400,
      );
      assert.equal(error.message, `Instances [[${id}]] not in a valid state for account 123456789012`);
    }
  });

  it('refuses other documents, bad parameters, and callers denied ssm:SendCommand', async () => {
    const send = (
      identity: string | undefined,
      input: Partial<ConstructorParameters<typeof SendCommandCommand>[0]>,
    ) =>
      clientsFor(emulator(), identity).ssm.send(
        new SendCommandCommand({
          InstanceIds: [instanceId()],
          DocumentName: 'AWS-RunShellScript',
          Parameters: { commands: ['true'] },
          ...input,
        }),
      );
    await expectAwsError(send(undefined, { DocumentName: 'AWS-RunPowerShellScript' }), 'InvalidDocument');
    await expectAwsError(
      send(undefined, { Parameters: { commands: ['true'], executionTimeout: ['0'] } }),
      'InvalidParameters',
    );
    await expectAwsError(send(undefined, { Parameters: { command: ['true'] } }), 'InvalidParameters');
    const denied = await expectAwsError(send('no-send', {}), 'AccessDeniedException');
    assert.equal(
      denied.message,
      `User: arn:aws:iam::123456789012:user/no-send is not authorized to perform: ssm:SendCommand on resource: arn:aws:ssm:us-east-1:123456789012:managed-instance/${instanceId()} because no identity-based policy allows the ssm:SendCommand action`,
    );
    const documentDenied = await expectAwsError(send('no-shell-document', {}), 'AccessDeniedException');
    assert.match(documentDenied.message, /on resource: arn:aws:ssm:us-east-1::document\/AWS-RunShellScript /);
  });
});

describe('containers: Run Command without a connected agent', () => {
  it('stays Pending, then times out with DeliveryTimedOut after TimeoutSeconds', async () => {
    let now = Date.now();
    const emulator = await startEmulator({
      now: () => now,
      scenario: { ssm: { instances: [{ id: 'mi-0123456789abcdef0', pingStatus: 'Online' }] } },
    });
    try {
      const { ssm } = clientsFor(emulator);
      const sent = await ssm.send(
        new SendCommandCommand({
          InstanceIds: ['mi-0123456789abcdef0'],
          DocumentName: 'AWS-RunShellScript',
          TimeoutSeconds: 30,
          Parameters: { commands: ['true'] },
        }),
      );
      assert.equal(sent.Command!.Status, 'Pending');
      const get = () =>
        ssm.send(
          new GetCommandInvocationCommand({
            CommandId: sent.Command!.CommandId,
            InstanceId: 'mi-0123456789abcdef0',
          }),
        );
      await expectAwsError(get(), 'InvocationDoesNotExist');
      now += 1_000;
      assert.equal((await get()).Status, 'Pending');
      now += 30_000;
      const timedOut = await get();
      assert.equal(timedOut.Status, 'TimedOut');
      assert.equal(timedOut.StatusDetails, 'DeliveryTimedOut');
      assert.equal(timedOut.ResponseCode, -1);
    } finally {
      await emulator.close();
    }
  });
});
