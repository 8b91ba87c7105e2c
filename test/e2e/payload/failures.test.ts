import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { SimulatedContainer } from '../../emulator/containers/container';
import { exited } from '../../emulator/containers/processes';
import { useEmulator } from '../../support/emulator';
import {
  ACCOUNT,
  CODE_PACKAGE,
  payloadScenario,
  EXECUTION_ROLE,
  ROLE_NAME,
  baseEnv,
  instanceTierOperations,
  payloadFiles,
} from './support/payloadWorld';

const INIT = `bash ${CODE_PACKAGE}/sm-init-ssm`;
const TRUST_ERROR = `Nonexistent role or missing ssm service principal in trust policy: arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`;

/** A shell script that fails the way curl does without a network, and records the URL it was given. */
const NO_NETWORK_CURL = `#!/bin/sh
for arg in "$@"; do case "$arg" in https://*) echo "$arg" >>/tmp/curl-urls;; esac; done
echo "curl: (6) Could not resolve host: \${1}" >&2
exit 6
`;

describe('payload e2e: failures say what to fix', function () {
  this.timeout(120_000);
  const emulator = useEmulator(payloadScenario().build());
  let tier = 'standard';
  let container: SimulatedContainer;

  before(async () => {
    emulator().addOperations(
      'ssm',
      instanceTierOperations(() => tier),
    );
    container = await emulator().containers.start({
      id: 'payload-failures',
      hostname: 'algo-1',
      env: baseEnv({
        TRAINING_JOB_NAME: 'failing-job',
        TRAINING_JOB_ARN: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/failing-job`,
      }),
      files: payloadFiles(),
      roleIdentity: EXECUTION_ROLE.name,
    });
  });
  afterEach(() => emulator().faults.clear());

  it('the role does not trust ssm.amazonaws.com (CreateActivation refuses it)', async () => {
    emulator().faults.add({
      service: 'ssm',
      operation: 'CreateActivation',
      error: { code: 'ValidationException', message: TRUST_ERROR },
    });
    const result = await container.exec(INIT);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /\[sagemaker-ssh\] ERROR: CreateActivation refused the role 'SageMakerExecutionRole': it does not exist, or its trust policy does not trust ssm\.amazonaws\.com\. Add ssm\.amazonaws\.com next to sagemaker\.amazonaws\.com in the role's trust policy/,
    );
    assert.match(
      result.stderr,
      /AWS said: An error occurred \(ValidationException\) when calling the CreateActivation operation: Nonexistent role/,
    );
    assert.equal(emulator().state.activations.all().length, 0);
  });

  it('the role may not create activations or pass itself to SSM (AccessDenied)', async () => {
    emulator().faults.add({
      service: 'ssm',
      operation: 'CreateActivation',
      error: {
        code: 'AccessDeniedException',
        message: `User: ${EXECUTION_ROLE.arn} is not authorized to perform: iam:PassRole`,
      },
    });
    const result = await container.exec(INIT);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /this container's role may not create SSM activations: it needs ssm:CreateActivation and ssm:AddTagsToResource, and iam:PassRole on 'SageMakerExecutionRole'/,
    );
  });

  it('SSH_SSM_ROLE is missing, or is an ARN of something else', async () => {
    const missing = await container.exec(INIT, { env: { SSH_SSM_ROLE: '' } });
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /SSH_SSM_ROLE is not set: set it to the name of the role the SSM agent should use/,
    );
    const wrong = await container.exec(INIT, { env: { SSH_SSM_ROLE: `arn:aws:iam::${ACCOUNT}:user/bob` } });
    assert.match(wrong.stderr, /is not an IAM role ARN or name/);
  });

  it('no AWS region', async () => {
    const result = await container.exec(`env -u AWS_REGION -u AWS_DEFAULT_REGION ${INIT}`);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no AWS region: set AWS_REGION/);
  });

  it('throttled activations: retried with backoff, and a clear failure once retries run out', async () => {
    emulator().faults.add({
      service: 'ssm',
      operation: 'CreateActivation',
      every: true,
      error: { code: 'ThrottlingException', message: 'Rate exceeded' },
    });
    const result = await container.exec(INIT, { env: { SM_SSH_ACTIVATION_ATTEMPTS: '3' } });
    assert.equal(result.code, 1);
    assert.equal(emulator().calls.count({ operation: 'CreateActivation', errorsOnly: true }) >= 3, true);
    assert.match(
      result.stderr,
      /sm-init-ssm: CreateActivation failed with ThrottlingException \(attempt 1 of 3\); retrying in 0 s/,
    );
    assert.match(result.stderr, /attempt 2 of 3/);
    assert.match(
      result.stderr,
      /ERROR: CreateActivation was throttled 3 times in a row: too many nodes are registering at once in this account and region\. Lower SSH_INSTANCE_COUNT/,
    );
  });

  it('the SSM advanced-instances tier is off: registration works, with a warning that connections will not', async () => {
    emulator().faults.add({
      service: 'ssm',
      operation: 'CreateActivation',
      first: 2,
      error: { code: 'ThrottlingException', message: 'Rate exceeded' },
    });
    tier = 'standard';
    const result = await container.exec(INIT, { timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal((result.stderr.match(/CreateActivation failed with ThrottlingException/g) ?? []).length, 2);
    assert.match(result.stdout, /sm-init-ssm: registered as mi-[0-9a-f]{17}/);
    assert.match(
      result.stderr,
      /WARNING: the SSM instance tier in us-east-1 is 'standard': Session Manager, and so SSH, cannot reach this node until an admin switches on the advanced-instances tier \(aws ssm update-service-setting --setting-id \/ssm\/managed-instance\/activation-tier --setting-value advanced --region us-east-1\)/,
    );
  });

  it('no SSM agent in the image and no internet: configure says to pre-install it (and picks the arm64 download on Graviton)', async () => {
    await container.exec(
      'rm -f /usr/local/bin/amazon-ssm-agent /opt/sagemaker-ssh-helper/.ssh-configured /tmp/curl-urls',
    );
    await container.writeFile('/usr/local/bin/curl', NO_NETWORK_CURL);
    await container.writeFile(
      '/usr/local/bin/uname',
      '#!/bin/sh\ncase "$1" in -m) echo aarch64;; *) exec /usr/bin/uname "$@";; esac\n',
    );
    await container.exec('chmod 755 /usr/local/bin/curl /usr/local/bin/uname');
    const init = await container.exec(`${INIT} --force`);
    assert.equal(init.code, 1);
    assert.match(
      init.stderr,
      /amazon-ssm-agent is not installed: run 'sm-setup-ssh configure' \(it downloads the agent, which needs internet access\), or install the agent in the image/,
    );
    const configure = await container.exec(`bash ${CODE_PACKAGE}/sm-setup-ssh configure`, {
      env: { SM_SSH_INSTALL_AWS_CLI: 'true' },
    });
    assert.equal(configure.code, 1);
    assert.match(
      configure.stderr,
      /configure: amazon-ssm-agent is not installed and cannot be downloaded from https:\/\/s3\.us-east-1\.amazonaws\.com\/amazon-ssm-us-east-1\/latest\/debian_arm64\/amazon-ssm-agent\.deb \(no internet access\?\)\. Install it in the image \(run 'sm-setup-ssh configure' in the Dockerfile\), or give the job internet access/,
    );
    assert.match(
      configure.stderr,
      /could not install the AWS CLI from https:\/\/awscli\.amazonaws\.com\/awscli-exe-linux-aarch64\.zip \(no internet access\?\); the scripts use python3 instead/,
    );
    const urls = (await container.readFile('/tmp/curl-urls')).trim().split('\n');
    assert.deepEqual(urls, [
      'https://awscli.amazonaws.com/awscli-exe-linux-aarch64.zip',
      'https://s3.us-east-1.amazonaws.com/amazon-ssm-us-east-1/latest/debian_arm64/amazon-ssm-agent.deb',
    ]);
    await container.exec('rm -f /usr/local/bin/uname /usr/local/bin/curl');
  });
});

describe('payload e2e: sm-wait', function () {
  this.timeout(120_000);
  const emulator = useEmulator(payloadScenario().build());
  let container: SimulatedContainer;
  const wait = (args: string) =>
    container.exec(`bash ${CODE_PACKAGE}/sm-wait ${args}`, { timeoutMs: 60_000 });
  /** Starts `sm-wait 120` and resolves once it is in its loop (traps set, flag checked), not after a delay. */
  const startWaiting = async (): Promise<{ child: ChildProcess; output: () => string }> => {
    const child = container.spawn(['bash', `${CODE_PACKAGE}/sm-wait`, '120'], { log: false });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.once('exit', () => reject(new Error(`sm-wait 120 ended before waiting: ${output}`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/sm-wait: waiting up to 120 s/.test(output)) resolve();
      });
    });
    return { child, output: () => output };
  };

  before(async () => {
    container = await emulator().containers.start({
      id: 'payload-wait',
      hostname: 'algo-1',
      env: baseEnv(),
      files: payloadFiles(),
      roleIdentity: EXECUTION_ROLE.name,
    });
  });

  it('0 returns at once; anything but a number of seconds, stop or list is refused', async () => {
    const zero = await wait('0');
    assert.equal(zero.code, 0);
    assert.match(zero.stdout, /sm-wait: 0 s: not waiting/);
    for (const bad of ['abc', '-5', "''"]) {
      const result = await wait(bad);
      assert.equal(result.code, 2, bad);
      assert.match(result.stderr, /is not a number of seconds; usage: sm-wait <seconds> \| stop \| list/);
    }
  });

  it('times out with progress every 10 s and the upstream hint', async () => {
    const result = await wait('11');
    assert.equal(result.code, 0);
    const lines = result.stdout.trim().split('\n');
    assert.deepEqual(lines.length, 3, result.stdout);
    assert.match(
      lines[0]!,
      /waiting up to 11 s for a connection; run 'sm-wait stop' in the container \(or Stop Waiting in VS Code\) to continue/,
    );
    assert.match(
      lines[1]!,
      /sm-wait: waiting for a connection: 10 s elapsed, 1 s remaining; amazon-ssm-agent is not running yet/,
    );
    assert.match(
      lines[2]!,
      /waited 11 s and nobody stopped the wait: continuing\. Had SSM initialization failed\? Do you need to increase timeout \(SSH_WAIT_TIME_SECONDS\)\?/,
    );
  });

  it('ends on SIGTERM (how older clients stopped it) and SIGINT, and lists running waits', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const { child, output } = await startWaiting();
      assert.match((await wait('list')).stdout, /sm-wait 120/);
      await container.exec(`pkill ${signal === 'SIGTERM' ? '-TERM' : '-INT'} -f 'sm-wait 120'`);
      await exited(child);
      assert.equal(child.exitCode, 0, signal);
      assert.match(output(), new RegExp(`sm-wait: received ${signal}: stopped waiting, continuing`));
    }
  });

  it('stop releases a waiting loop, says so in the job log, and later waits return at once', async () => {
    const { child, output } = await startWaiting();
    const stop = await wait('stop');
    assert.match(
      stop.stdout,
      /sm-wait stop: created \/tmp\/sm-wait-stopped on algo-1; waiting loops in this container now return/,
    );
    await exited(child);
    assert.equal(child.exitCode, 0);
    assert.match(output(), /sm-wait: stop requested after \d+ s: continuing/);
    assert.match(container.log(), /\[sagemaker-ssh\] sm-wait stop: created \/tmp\/sm-wait-stopped/);
    const later = await wait('60');
    assert.match(
      later.stdout,
      /\/tmp\/sm-wait-stopped exists \(an earlier 'sm-wait stop'\): not waiting; remove it to wait again/,
    );
  });
});
