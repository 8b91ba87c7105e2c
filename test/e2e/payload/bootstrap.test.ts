import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { stopWaitingScript } from '../../../src/connect/remoteScripts';
import { runShellCommand } from '../../../src/connect/runShellCommand';
import type { SimulatedContainer } from '../../emulator/containers/container';
import { exited } from '../../emulator/containers/processes';
import { trainingJobLayout } from '../../emulator/containers/sagemakerEnvironment';
import { clientsFor, useEmulator } from '../../support/emulator';
import {
  ACCOUNT,
  CODE_PACKAGE,
  payloadScenario,
  EXECUTION_ROLE,
  OWNER_USER_ID,
  ROLE_NAME,
  activationOf,
  baseEnv,
  logOf,
  instanceTierOperations,
  instancesOf,
  payloadFiles,
  payloadLog,
  sshClient,
  type SshClient,
} from './support/payloadWorld';
import { eventually } from '../../support/wait';

const JOB = 'payload-bootstrap-job';
const TRICKY = `it's "quoted" $HOME \\back\nsecond line # not a comment`;

/**
 * sm-setup-ssh, as setup_and_start_ssh() runs it, in a simulated training container (algo-1 of a
 * 2-node job) against the emulator: the container's own credentials, AWS's amazon-ssm-agent, a real
 * sshd reached over an SSM session relayed to that agent.
 */
describe('payload e2e: sm-setup-ssh bootstraps a training job node', function () {
  this.timeout(120_000);
  const emulator = useEmulator(
    payloadScenario()
      .trainingJob(JOB, {
        instanceCount: 2,
        roleArn: `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`,
        hyperParameters: { epochs: '3' },
      })
      .build(),
  );
  let container: SimulatedContainer;
  let bootstrap: ChildProcess;
  let instanceId: string;
  let started: number;
  let ssh: SshClient;

  before(async () => {
    emulator().addOperations(
      'ssm',
      instanceTierOperations(() => 'advanced'),
    );
    await emulator().containers.installSessions();
    ssh = await sshClient();
    const layout = trainingJobLayout(emulator().state.trainingJobs.get(JOB)!, 1);
    container = await emulator().containers.start({
      id: `${JOB}-algo-1`,
      hostname: layout.hostname,
      env: {
        ...layout.env,
        ...baseEnv({
          START_SSH: 'true',
          SSH_WAIT_TIME_SECONDS: '300',
          PAYLOAD_TRICKY: TRICKY,
          PAYLOAD_SIMPLE: 'a = b',
        }),
      },
      files: { ...layout.files, ...payloadFiles() },
      roleIdentity: EXECUTION_ROLE.name,
    });
    started = Math.floor(Date.now() / 1000);
    bootstrap = container.spawn(['bash', `${CODE_PACKAGE}/sm-setup-ssh`], { cwd: '/opt/ml/code' });
    instanceId = await emulator().containers.agentConnected(container.id, 60_000);
  });

  after(async () => {
    await ssh?.close();
  });

  it('registers the node with the upstream tags, registration limit 1 and the role name', async () => {
    const { ssm } = clientsFor(emulator(), 'developer');
    const [instance, ...others] = await eventually(
      async () => {
        const found = await instancesOf(ssm, JOB);
        return found.length > 0 && found[0]!.pingStatus === 'Online' ? found : undefined;
      },
      'the instance to be Online',
      logOf(container),
    );
    assert.deepEqual(others, []);
    assert.equal(instance!.instanceId, instanceId);
    assert.equal(instance!.iamRole, ROLE_NAME);
    const { SSHTimestamp, ...tags } = instance!.tags;
    assert.deepEqual(tags, {
      SSHOwner: OWNER_USER_ID,
      SSHCreator: EXECUTION_ROLE.userId,
      SSHResourceName: JOB,
      SSHResourceArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/${JOB}`,
      SSHHost: 'algo-1',
    });
    assert.ok(Math.abs(Number(SSHTimestamp) - started) < 60, `SSHTimestamp ${SSHTimestamp} is about now`);
    const activationId = emulator().state.instances.get(instanceId)!.activationId;
    assert.deepEqual(await activationOf(ssm, activationId!), { registrationLimit: 1, iamRole: ROLE_NAME });
  });

  it('installs the helper scripts, configures sshd and logs one line per step to the job log', async () => {
    const listed = await container.exec('ls /usr/local/bin; head -n 7 /etc/ssh/sshd_config');
    for (const script of [
      'sm-setup-ssh',
      'sm-init-ssm',
      'sm-save-env',
      'sm-wait',
      'sm-ssh-ide',
      'sm-helper-functions',
      'sm-aws-call',
    ]) {
      assert.ok(listed.stdout.split('\n').includes(script), `${script} in /usr/local/bin`);
    }
    assert.match(
      listed.stdout,
      /# BEGIN SageMaker SSH \(sm-setup-ssh configure\)\nAuthorizedKeysFile \/etc\/ssh\/authorized_keys\nClientAliveInterval 15\nPermitRootLogin prohibit-password\nPasswordAuthentication no\n/,
    );
    const effective = await container.exec('/usr/sbin/sshd -T');
    assert.match(effective.stdout, /^permitrootlogin without-password$/m);
    assert.match(effective.stdout, /^passwordauthentication no$/m);
    assert.match(effective.stdout, /^authorizedkeysfile \/etc\/ssh\/authorized_keys$/m);
    const steps = [
      /install-helper-scripts: 7 installed or updated, 0 unchanged in \/usr\/local\/bin/,
      /configure: openssh-server and the tools it needs are installed/,
      /configure: sshd_config: keys from \/etc\/ssh\/authorized_keys/,
      /configure: SM_SSH_INSTALL_AWS_CLI=false/,
      /configure: amazon-ssm-agent already installed; skipping/,
      /configure: done/,
      /start-ssh: SSH Helper Log IP: /,
      /Saved \d+ environment variables to \/etc\/environment for SSH sessions \(START_SSH=false\)/,
      /start-ssh: sshd started \(port \d+\)/,
      /sm-init-ssm: creating an SSM activation in us-east-1 for training job payload-bootstrap-job \(node algo-1, role SageMakerExecutionRole, owner AIDAPAYLOADOWNER0001\)/,
      /sm-init-ssm: registering amazon-ssm-agent with activation [0-9a-f-]{36}/,
      /amazon-ssm-agent: .*Successfully registered the instance with AWS SSM using Managed instance-id: mi-/,
      new RegExp(`sm-init-ssm: registered as ${instanceId} in us-east-1`),
      /sm-init-ssm: the SSM advanced-instances tier is on in us-east-1/,
      /start-ssh: amazon-ssm-agent started \(pid \d+\)/,
      /sm-wait: waiting up to 300 s for a connection/,
    ];
    const log = payloadLog(container);
    for (const step of steps) {
      assert.ok(
        log.some((line) => step.test(line)),
        `the job log has ${step}:\n${log.join('\n')}`,
      );
    }
  });

  it('gives SSH sessions (over an SSM session) the saved environment; login shells get every value exactly', async () => {
    await container.writeFile('/etc/ssh/authorized_keys', ssh.publicKey);
    const plain = await ssh.run(
      emulator(),
      instanceId,
      'printf "%s|%s|%s|%s" "$TRAINING_JOB_NAME" "$START_SSH" "$PAYLOAD_SIMPLE" "$SM_CURRENT_HOST"',
    );
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, `${JOB}|false|a = b|algo-1`);
    const login = await ssh.run(
      emulator(),
      instanceId,
      `bash -lc 'printf %s "$PAYLOAD_TRICKY"; printf "|%s" "$SM_HPS"'`,
    );
    assert.equal(login.code, 0, login.stderr);
    assert.equal(login.stdout, `${TRICKY}|{"epochs":"3"}`);
    const saved = await container.readFile('/etc/environment');
    assert.doesNotMatch(saved, /^(HOME|HOSTNAME|PWD|SHLVL)=/m);
    assert.match(saved, /^START_SSH='false'$/m);
  });

  it('takes a burst of 20 ssh connections at once (sshd MaxStartups raised from 10:30:100)', async () => {
    const effective = await container.exec('/usr/sbin/sshd -T');
    assert.match(effective.stdout, /^maxstartups 100:30:200$/m);
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, index) => ssh.run(emulator(), instanceId, `echo ${index}`)),
    );
    const failed = burst.filter(
      (result, index) => result.code !== 0 || result.stdout.trim() !== String(index),
    );
    assert.deepEqual(
      failed.map(({ code, stdout, stderr }) => ({ code, stdout, stderr: stderr.trim() })),
      [],
      `${failed.length} of 20 connections failed`,
    );
  });

  it("ends the wait with Stop Waiting (SSM SendCommand with the extension's script): the bootstrap returns 0", async () => {
    const { ssm } = clientsFor(emulator(), 'developer');
    const result = await runShellCommand(ssm, {
      instanceId,
      lines: stopWaitingScript(),
      purpose: 'Stop Waiting',
      timeoutSeconds: 30,
    });
    assert.match(result.stdout, /\/tmp\/sm-wait-stopped created on algo-1/);
    await exited(bootstrap);
    assert.equal(bootstrap.exitCode, 0);
    assert.ok(
      payloadLog(container).some((line) => /sm-wait: stop requested after \d+ s: continuing/.test(line)),
    );
    assert.match(container.log(), /sagemaker-ssh: Stop Waiting requested from VS Code/);
  });

  it('is idempotent: a second run starts nothing, registers nothing and returns at once', async () => {
    const activations = emulator().state.activations.all().length;
    const again = await container.exec(`bash ${CODE_PACKAGE}/sm-setup-ssh`, {
      env: baseEnv({ SSH_WAIT_TIME_SECONDS: '300' }),
      timeoutMs: 30_000,
    });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /install-helper-scripts: 0 installed or updated, 7 unchanged/);
    assert.match(
      again.stdout,
      /sm-wait: \/tmp\/sm-wait-stopped exists \(an earlier 'sm-wait stop'\): not waiting; remove it to wait again/,
    );
    await eventually(
      () =>
        payloadLog(container).some((line) =>
          /SSH is already started \(or starting\) in this container; not starting it again/.test(line),
        )
          ? true
          : undefined,
      'the second start to give way',
      logOf(container),
    );
    const init = await container.exec(`bash ${CODE_PACKAGE}/sm-init-ssm`, { env: baseEnv() });
    assert.equal(init.code, 0, init.stderr);
    assert.match(
      init.stdout,
      new RegExp(`already registered as ${instanceId} \\(owner ${OWNER_USER_ID}\\); nothing to do`),
    );
    const configure = await container.exec(`bash ${CODE_PACKAGE}/sm-setup-ssh configure`);
    assert.match(
      configure.stdout,
      /configure: already done \(\/opt\/sagemaker-ssh-helper\/\.ssh-configured exists\); skipping/,
    );
    assert.equal(emulator().state.activations.all().length, activations);
    const { ssm } = clientsFor(emulator(), 'developer');
    assert.equal((await instancesOf(ssm, JOB)).length, 1);
  });
});

describe('payload e2e: SSH_LOG_TO_STDOUT=true (local mode, notebooks)', function () {
  this.timeout(120_000);
  const emulator = useEmulator(payloadScenario().build());

  it('logs start-ssh to the calling process, plainly, instead of the container log', async () => {
    const container = await emulator().containers.start({
      id: 'payload-log-to-stdout',
      hostname: 'algo-1',
      env: baseEnv({
        START_SSH: 'true',
        SSH_LOG_TO_STDOUT: 'true',
        SSH_WAIT_TIME_SECONDS: '1',
        TRAINING_JOB_NAME: 'local-job',
      }),
      files: payloadFiles(),
      roleIdentity: EXECUTION_ROLE.name,
    });
    const child = container.spawn(['bash', `${CODE_PACKAGE}/sm-setup-ssh`], { log: false });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await emulator().containers.agentConnected(container.id, 60_000);
    await eventually(
      () => (/INFO \[amazon-ssm-agent\] Starting Core Agent/.test(output) ? true : undefined),
      'the agent output',
      logOf(container),
    );
    assert.match(output, /^\[sagemaker-ssh\] start-ssh: amazon-ssm-agent started/m);
    assert.match(
      output,
      // AWS's agent's own line, not prefixed by start-ssh.
      /^\S+ \S+ INFO \[amazon-ssm-agent\] Starting Core Agent$/m,
      'other programs are not prefixed',
    );
    assert.doesNotMatch(container.log(), /start-ssh:/, 'nothing went to /proc/1/fd/1');
    child.kill('SIGKILL');
  });
});
