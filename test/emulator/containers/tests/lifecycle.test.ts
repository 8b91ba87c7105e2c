import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DescribeTrainingJobCommand, StopTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { DescribeInstanceInformationCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import { startEmulator, type Emulator, type ScenarioDocument } from '../..';
import { runHostProcess } from '../processes';
import { clientsFor, expectAwsError } from '../../../support/emulator';
import { DEVELOPER, EXECUTION_ROLE, OWNER_USER_ID, processesInNamespace, runShell } from './helpers';
import { eventually } from '../../../support/wait';

const EMULATOR_MODULE = path.resolve(__dirname, '../../index.js');

function sshJob(name: string, ssh: Record<string, unknown> = {}, instanceCount = 1) {
  return {
    name,
    status: 'InProgress' as const,
    instanceCount,
    environment: { SSH_OWNER_TAG: OWNER_USER_ID },
    ssh,
  };
}

async function pingStatus(emulator: Emulator, instanceId: string): Promise<string | undefined> {
  const { ssm } = clientsFor(emulator);
  const listed = await ssm.send(
    new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [instanceId] }] }),
  );
  return listed.InstanceInformationList?.[0]?.PingStatus;
}

describe('containers: lifecycle', () => {
  it('an agent that dies leaves its instance ConnectionLost (SendCommand refused); a restarted agent is Online again', async () => {
    const emulator = await startEmulator({
      scenario: {
        identities: [DEVELOPER, EXECUTION_ROLE],
        sagemaker: { trainingJobs: [sshJob('agent-dies')] },
      },
    });
    try {
      const node = emulator.containers.nodes()[0]!;
      const instanceId = node.instanceId!;
      assert.equal(await pingStatus(emulator, instanceId), 'Online');
      // AWS's agent: the core process and the ssm-agent-worker it starts, which holds the control channel.
      const killed = await node.container.exec(
        "pkill -KILL -f '^/usr/local/lib/amazon-ssm-agent/(amazon-ssm-agent|ssm-agent-worker)' && echo killed",
      );
      assert.equal(killed.stdout, 'killed\n');
      await eventually(
        async () => (await pingStatus(emulator, instanceId)) === 'ConnectionLost',
        'ConnectionLost',
      );
      const { ssm } = clientsFor(emulator);
      await expectAwsError(
        ssm.send(
          new SendCommandCommand({
            InstanceIds: [instanceId],
            DocumentName: 'AWS-RunShellScript',
            Parameters: { commands: ['true'] },
          }),
        ),
        'InvalidInstanceId',
      );
      node.container.spawn(['amazon-ssm-agent']);
      assert.equal(await emulator.containers.agentConnected(node.container.id), instanceId);
      assert.equal(await pingStatus(emulator, instanceId), 'Online');
      assert.equal((await runShell(ssm, instanceId, ['hostname'])).StandardOutputContent, 'algo-1\n');
    } finally {
      await emulator.close();
    }
  });

  it('a node declared ConnectionLost is registered and has sshd, but no agent', async () => {
    const emulator = await startEmulator({
      scenario: {
        identities: [DEVELOPER, EXECUTION_ROLE],
        sagemaker: { trainingJobs: [sshJob('agent-never-started', { pingStatus: 'ConnectionLost' })] },
      },
    });
    try {
      const node = emulator.containers.nodes()[0]!;
      assert.match(node.instanceId!, /^mi-[0-9a-f]{17}$/);
      assert.equal(await pingStatus(emulator, node.instanceId!), 'ConnectionLost');
      const scan = await runHostProcess('ssh-keyscan', ['-p', String(node.container.sshdPort), '127.0.0.1']);
      assert.equal(scan.code, 0, scan.stderr);
    } finally {
      await emulator.close();
    }
  });

  it('StopTrainingJob stops the containers: the agents disconnect and the job becomes Stopped', async () => {
    let now = Date.now();
    const emulator = await startEmulator({
      now: () => now,
      scenario: {
        identities: [DEVELOPER, EXECUTION_ROLE],
        options: { stopDelayMs: 1000 },
        sagemaker: { trainingJobs: [sshJob('stopped-by-user', { nodes: 2 }, 2)] },
      },
    });
    try {
      const nodes = emulator.containers.nodes();
      const { sagemaker } = clientsFor(emulator);
      await sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: 'stopped-by-user' }));
      for (const node of nodes) {
        await eventually(
          async () => (await pingStatus(emulator, node.instanceId!)) === 'ConnectionLost',
          'ConnectionLost',
        );
        await eventually(() => !node.container.running, 'the container to stop');
      }
      await eventually(() => emulator.containers.list().length === 0, 'the containers to be gone');
      now += 1000;
      const job = await sagemaker.send(
        new DescribeTrainingJobCommand({ TrainingJobName: 'stopped-by-user' }),
      );
      assert.equal(job.TrainingJobStatus, 'Stopped');
    } finally {
      await emulator.close();
    }
  });

  it('closing the emulator stops every container process and removes the sandboxes and their mounts', async () => {
    const emulator = await startEmulator({
      scenario: {
        identities: [DEVELOPER, EXECUTION_ROLE],
        sagemaker: { trainingJobs: [sshJob('closed', { nodes: 2 }, 2)] },
      },
    });
    const containers = emulator.containers.list();
    assert.equal(containers.length, 2);
    const namespaces = containers.map((container) => container.pidNamespaceId);
    const sandboxes = containers.map((container) => container.sandbox.dir);
    const ports = containers.map((container) => container.sshdPort);
    // Something long-running and detached in each container, like a payload's background job.
    for (const container of containers) await container.exec('nohup sleep 300 >/dev/null 2>&1 &');
    for (const namespace of namespaces) assert.ok((await processesInNamespace(namespace)).length >= 4);
    await emulator.close();
    for (const namespace of namespaces) assert.deepEqual(await processesInNamespace(namespace), []);
    for (const sandbox of sandboxes) assert.equal(existsSync(sandbox), false);
    const mounts = await readFile('/proc/self/mountinfo', 'utf8');
    for (const sandbox of sandboxes) assert.equal(mounts.includes(sandbox), false);
    for (const port of ports) {
      const scan = await runHostProcess('ssh-keyscan', ['-T', '2', '-p', String(port), '127.0.0.1']);
      assert.equal(scan.stdout, '');
    }
  });
});

describe('containers: entry scripts (instead of the built-in bootstrap)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'containers-entry-'));
    await writeFile(
      path.join(dir, 'train.sh'),
      [
        '#!/bin/sh',
        'set -e',
        'echo "training on $(hostname) as $(id -un) in $(pwd) for $TRAINING_JOB_NAME"',
        'python3 -c \'import json; c = json.load(open("/opt/ml/input/config/resourceconfig.json")); print("rank", c["hosts"].index(c["current_host"]))\'',
        'cat /opt/ml/code/lib/helper.txt',
        'command -v amazon-ssm-agent',
        'test "$START_SSH" = true && test -n "$AWS_CONTAINER_CREDENTIALS_FULL_URI"',
        'exit "$(cat /opt/ml/input/config/hyperparameters.json | python3 -c \'import json,sys; print(json.load(sys.stdin)["exit_code"])\')"',
        '',
      ].join('\n'),
    );
    await mkdir(path.join(dir, 'lib'));
    await writeFile(path.join(dir, 'lib', 'helper.txt'), 'helper from source_dir\n');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the entry on every node with the job environment; the job completes or fails with it', async () => {
    const job = (
      name: string,
      exitCode: string,
    ): NonNullable<NonNullable<ScenarioDocument['sagemaker']>['trainingJobs']>[number] => ({
      ...sshJob(name, { nodes: 2, entry: path.join(dir, 'train.sh'), sourceDir: dir }, 2),
      hyperParameters: { exit_code: exitCode },
    });
    const emulator = await startEmulator({
      scenario: {
        identities: [DEVELOPER, EXECUTION_ROLE],
        sagemaker: { trainingJobs: [job('entry-succeeds', '0'), job('entry-fails', '3')] },
      },
    });
    try {
      const { sagemaker } = clientsFor(emulator);
      const nodes = emulator.containers.nodes();
      assert.equal(nodes.length, 4);
      assert.ok(nodes.every((node) => node.entryExit && node.instanceId === undefined));
      const codes = await Promise.all(nodes.map((node) => node.entryExit!));
      assert.deepEqual(codes, [0, 0, 3, 3]);
      const describe = (name: string) =>
        sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
      await eventually(
        async () => (await describe('entry-fails')).TrainingJobStatus === 'Failed',
        'the job to fail',
      );
      const succeeded = await describe('entry-succeeds');
      assert.equal(succeeded.TrainingJobStatus, 'Completed');
      assert.equal(succeeded.SecondaryStatus, 'Completed');
      assert.ok(succeeded.TrainingEndTime instanceof Date);
      const failed = await describe('entry-fails');
      assert.equal(failed.FailureReason, 'AlgorithmError: ExecuteUserScriptError: ExitCode 3 (algo-1)');
      const succeededAlgo2 = nodes.find(
        (node) => node.resourceName === 'entry-succeeds' && node.host === 'algo-2',
      )!;
      assert.match(
        succeededAlgo2.container.log(),
        /training on algo-2 as root in \/opt\/ml\/code for entry-succeeds\nrank 1\nhelper from source_dir\n\/usr\/local\/bin\/amazon-ssm-agent\n/,
      );
      await eventually(
        () => emulator.containers.list().length === 0,
        'the finished jobs to release their containers',
      );
    } finally {
      await emulator.close();
    }
  });
});

describe('containers: where they cannot run', () => {
  /** Starts an emulator with one SSH container in a process without `capability`; returns what it printed. */
  async function startWithout(capability: string): Promise<string> {
    const script = `
      const { startEmulator } = require(${JSON.stringify(EMULATOR_MODULE)});
      startEmulator({ scenario: { sagemaker: { trainingJobs: [{ name: 'j', status: 'InProgress', ssh: {} }] } } }).then(
        () => { console.log('started'); process.exit(0); },
        (error) => { console.log(error.name + ': ' + error.message); process.exit(3); });`;
    const result = await runHostProcess('setpriv', [
      `--bounding-set=-${capability}`,
      `--inh-caps=-${capability}`,
      process.execPath,
      '-e',
      script,
    ]);
    assert.equal(result.code, 3, result.stdout + result.stderr);
    assert.match(result.stdout, /Nothing was started, and nothing ran in the host's \/etc\./);
    return result.stdout;
  }

  it('a machine without CAP_SYS_ADMIN gets a ContainerIsolationError that says so, and nothing runs', async () => {
    assert.match(
      await startWithout('sys_admin'),
      /^ContainerIsolationError: Simulated SageMaker containers need Linux namespaces, and this machine cannot create them: "unshare --mount --pid --uts --net" with "\S+\/ip link set lo up" inside failed \(exit 1\): unshare: unshare failed: Operation not permitted/,
    );
  });

  it('a machine that cannot bring up a network namespace (no CAP_NET_ADMIN) gets a ContainerIsolationError naming the step', async () => {
    assert.match(
      await startWithout('net_admin'),
      /^ContainerIsolationError: Simulated SageMaker containers need Linux namespaces, and this machine cannot create them: "unshare --mount --pid --uts --net" with "\S+\/ip link set lo up" inside failed \(exit \d+\): .*Operation not permitted/,
    );
  });

  it('scenario checks: ssh only on running resources, nodes within instanceCount, entry files that exist', async () => {
    const { validateScenario, ScenarioError } = await import('../..');
    const problems = (trainingJobs: unknown[]): string[] => {
      try {
        validateScenario({ sagemaker: { trainingJobs } }, new Date());
      } catch (error) {
        assert.ok(error instanceof ScenarioError);
        return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
      }
      assert.fail('the scenario was accepted');
    };
    const missing = path.resolve('no/such/train.sh');
    assert.deepEqual(
      problems([
        { name: 'done', status: 'Completed', ssh: {} },
        { name: 'small', status: 'InProgress', instanceCount: 1, ssh: { nodes: 2 } },
        { name: 'missing', status: 'InProgress', ssh: { entry: 'no/such/train.sh' } },
      ]),
      [
        '$.sagemaker.trainingJobs[0].ssh: only an InProgress job has running containers; this job is Completed',
        "$.sagemaker.trainingJobs[1].ssh.nodes: is 2, more than the job's instanceCount (1)",
        `$.sagemaker.trainingJobs[2].ssh.entry: ${missing} is not an existing file`,
      ],
    );
    assert.deepEqual(
      problems([{ name: 'both', status: 'InProgress', ssh: { entry: 'x.sh', pingStatus: 'Online' } }]),
      [
        '$.sagemaker.trainingJobs[0].ssh: "pingStatus" applies to the built-in bootstrap only; with "entry" the script registers the agent',
      ],
    );
  });
});
