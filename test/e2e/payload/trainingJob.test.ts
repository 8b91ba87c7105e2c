import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DescribeTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { installKeyScript, parseHostKeys, stopWaitingScript } from '../../../src/connect/remoteScripts';
import { runShellCommand } from '../../../src/connect/runShellCommand';
import { copyPayload } from '../../../src/payload/copyPayload';
import { addSetupCallToFile } from '../../../src/payload/entryScript';
import type { Emulator } from '../../emulator';
import type { DeclaredNode } from '../../emulator/containers/declared';
import { clientsFor } from '../../support/emulator';
import { startEmulator } from '../../emulator';
import {
  ACCOUNT,
  payloadScenario,
  EXECUTION_ROLE,
  OWNER_USER_ID,
  ROLE_NAME,
  logOf,
  instancesOf,
  sshClient,
  withAgentLog,
  type RegisteredInstance,
  type SshClient,
} from './support/payloadWorld';
import { eventually } from '../../support/wait';

const BUCKET = `sagemaker-us-east-1-${ACCOUNT}`;
const TRICKY = `multi\nline 'value' with "quotes", $dollars and \\backslashes`;

/** A training script as users write it; the test adds the setup call the way the extension does. */
const TRAIN_PY = `#!/usr/bin/env python3
"""A training entry script (payload e2e)."""
from __future__ import annotations

import os

marker = "/opt/ml/model/after-wait"
with open(marker, "w") as f:
    f.write("%s on %s" % (os.environ["TRAINING_JOB_NAME"], os.environ["SM_CURRENT_HOST"]))
print("training continues: marker written by %s" % os.environ["SM_CURRENT_HOST"], flush=True)
`;

interface JobWorld {
  readonly emulator: Emulator;
  readonly sourceDir: string;
  node(host: string): DeclaredNode;
  close(): Promise<void>;
}

/** A source folder prepared like "Add SSH Helper to Training Code" does, and a declared 2-node job running it. */
async function startJob(job: string, sshInstanceCount: number): Promise<JobWorld> {
  const sourceDir = await mkdtemp(path.join(tmpdir(), 'sm-payload-source-'));
  await writeFile(path.join(sourceDir, 'train.py'), TRAIN_PY);
  await copyPayload(sourceDir);
  assert.equal((await addSetupCallToFile(path.join(sourceDir, 'train.py'))).changed, true);
  const scenario = payloadScenario()
    .bucket(BUCKET)
    .trainingJob(job, {
      instanceCount: 2,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`,
      hyperParameters: { epochs: '2' },
      environment: {
        SSH_OWNER_TAG: OWNER_USER_ID,
        SSH_WAIT_TIME_SECONDS: '300',
        SSH_INSTANCE_COUNT: String(sshInstanceCount),
        SM_SSH_INSTALL_AWS_CLI: 'false',
        PAYLOAD_TRICKY: TRICKY,
      },
      // AWS's amazon-ssm-agent (shared/peers): registration, Run Command and sessions are the real agent's.
      ssh: { nodes: 2, sourceDir, entry: path.join(sourceDir, 'train.py'), agent: 'aws' },
    })
    .build();
  const emulator = await startEmulator({ scenario });
  return {
    emulator,
    sourceDir,
    node(host) {
      const found = emulator.containers.nodes().find((candidate) => candidate.host === host);
      assert.ok(found, `no node ${host}`);
      return found;
    },
    async close() {
      await emulator.close();
      await rm(sourceDir, { recursive: true, force: true });
    },
  };
}

async function onlineInstances(world: JobWorld, job: string, count: number): Promise<RegisteredInstance[]> {
  const { ssm } = clientsFor(world.emulator, 'developer');
  return eventually(
    async () => {
      const found = await instancesOf(ssm, job);
      return found.length === count && found.every((i) => i.pingStatus === 'Online') ? found : undefined;
    },
    `${count} Online instance(s) of ${job}`,
    { ...logOf(world.node('algo-1').container), timeoutMs: 60_000 },
  );
}

/** What the extension's Connect does to a node: install the key with SendCommand (its script, key inline). */
async function installKey(world: JobWorld, instanceId: string, publicKey: string): Promise<string[]> {
  const { ssm } = clientsFor(world.emulator, 'developer');
  const result = await withAgentLog(
    world.node('algo-1').container,
    runShellCommand(ssm, {
      instanceId,
      purpose: 'Installing the SSH public key',
      lines: installKeyScript({ keyName: 'payload-e2e', publicKey }),
      timeoutSeconds: 60,
    }),
  );
  assert.match(result.stdout, /sagemaker-ssh: installed key payload-e2e\n/);
  return parseHostKeys(result.stdout);
}

function logIndex(log: string, pattern: RegExp): number {
  const match = pattern.exec(log);
  return match ? match.index : -1;
}

describe('payload e2e: a training job whose entry script calls setup_and_start_ssh()', function () {
  this.timeout(180_000);
  const JOB = 'payload-e2e-job';
  let world: JobWorld;
  let ssh: SshClient;
  let instance: RegisteredInstance;

  before(async () => {
    ssh = await sshClient();
    world = await startJob(JOB, 1);
    [instance] = (await onlineInstances(world, JOB, 1)) as [RegisteredInstance];
  });
  after(async () => {
    await ssh?.close();
    await world?.close();
  });

  it('registers only the nodes below SSH_INSTANCE_COUNT, Online, with the right tags', async () => {
    const { SSHTimestamp, ...tags } = instance.tags;
    assert.deepEqual(tags, {
      SSHOwner: OWNER_USER_ID,
      SSHCreator: EXECUTION_ROLE.userId,
      SSHResourceName: JOB,
      SSHResourceArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/${JOB}`,
      SSHHost: 'algo-1',
    });
    assert.match(SSHTimestamp!, /^\d{10}$/);
    const second = world.node('algo-2');
    assert.equal(await second.entryExit, 0, 'algo-2 trains without waiting');
    assert.match(
      second.container.log(),
      /node rank 1 is not below SSH_INSTANCE_COUNT=1: not starting SSH on this node/,
    );
    assert.match(second.container.log(), /training continues: marker written by algo-2/);
  });

  it("accepts the extension's key install (SendCommand) and a real ssh over SSM sees the job's environment", async () => {
    const hostKeys = await installKey(world, instance.instanceId, ssh.publicKey);
    assert.ok(
      hostKeys.some((line) => line.startsWith('ssh-ed25519 ')),
      'host keys for pinning',
    );
    const plain = await ssh.run(
      world.emulator,
      instance.instanceId,
      'printf "%s|%s|%s|%s" "$TRAINING_JOB_NAME" "$SM_CURRENT_HOST" "$START_SSH" "$SM_HPS"; echo; cd /opt/ml/code && python3 -c "import sagemaker_ssh_helper as h; h.setup_and_start_ssh()"',
    );
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout.split('\n')[0], `${JOB}|algo-1|false|{"epochs":"2"}`);
    assert.match(
      plain.stdout,
      /START_SSH=false: not starting SSH/,
      're-running the script over SSH does not bootstrap again',
    );
    const login = await ssh.run(
      world.emulator,
      instance.instanceId,
      `bash -lc 'printf %s "$PAYLOAD_TRICKY"'`,
    );
    assert.equal(login.stdout, TRICKY);
    assert.doesNotMatch(
      world.node('algo-1').container.log(),
      /training continues/,
      'algo-1 is still waiting',
    );
  });

  it('Stop Waiting (SendCommand) lets the entry script continue: the marker is written after sm-wait returns', async () => {
    const { ssm } = clientsFor(world.emulator, 'developer');
    await runShellCommand(ssm, {
      instanceId: instance.instanceId,
      lines: stopWaitingScript(),
      purpose: 'Stop Waiting',
    });
    const node = world.node('algo-1');
    assert.equal(await node.entryExit, 0);
    const log = node.container.log();
    const stopped = logIndex(log, /sm-wait: stop requested after \d+ s: continuing/);
    const marker = logIndex(log, /training continues: marker written by algo-1/);
    assert.ok(stopped >= 0 && marker > stopped, `the marker comes after the wait:\n${log.slice(-3000)}`);
    const { sagemaker } = clientsFor(world.emulator, 'developer');
    await eventually(
      async () =>
        (await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: JOB }))).TrainingJobStatus ===
        'Completed'
          ? true
          : undefined,
      'the job to complete',
    );
  });
});

describe('payload e2e: a 2-node job with SSH_INSTANCE_COUNT=2', function () {
  this.timeout(180_000);
  const JOB = 'payload-e2e-two-nodes';
  let world: JobWorld;

  before(async () => {
    world = await startJob(JOB, 2);
  });
  after(() => world?.close());

  it('registers both nodes (SSHHost algo-1 and algo-2) and releases both with Stop Waiting', async () => {
    const instances = await onlineInstances(world, JOB, 2);
    assert.deepEqual(instances.map((i) => i.tags.SSHHost).sort(), ['algo-1', 'algo-2']);
    assert.ok(instances.every((i) => i.tags.SSHOwner === OWNER_USER_ID && i.tags.SSHResourceName === JOB));
    assert.equal(
      new Set(world.emulator.state.instances.all().map((i) => i.activationId)).size,
      2,
      'one activation per node',
    );
    const { ssm } = clientsFor(world.emulator, 'developer');
    await Promise.all(
      instances.map((i) =>
        withAgentLog(
          world.node(i.tags.SSHHost!).container,
          runShellCommand(ssm, {
            instanceId: i.instanceId,
            lines: stopWaitingScript(),
            purpose: 'Stop Waiting',
          }),
        ),
      ),
    );
    assert.deepEqual(
      await Promise.all(['algo-1', 'algo-2'].map((host) => world.node(host).entryExit)),
      [0, 0],
    );
    for (const host of ['algo-1', 'algo-2']) {
      assert.match(
        world.node(host).container.log(),
        new RegExp(`training continues: marker written by ${host}`),
      );
    }
  });
});
