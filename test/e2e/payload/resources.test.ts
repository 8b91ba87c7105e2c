import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Emulator } from '../../emulator';
import type { SimulatedContainer } from '../../emulator/containers/container';
import { exited } from '../../emulator/containers/processes';
import { SAGEMAKER_USER } from '../../emulator/containers/sagemakerEnvironment';
import type { ContainerFile } from '../../emulator/containers/sandbox';
import { clientsFor, useEmulator } from '../../support/emulator';
import {
  ACCOUNT,
  CODE_PACKAGE,
  payloadScenario,
  EXECUTION_ROLE,
  OWNER_USER_ID,
  REPO_ROOT,
  activationOf,
  baseEnv,
  logOf,
  json,
  payloadFiles,
  sshClient,
  tagsOf,
  type Tags,
} from './support/payloadWorld';
import { eventually } from '../../support/wait';

const DOMAIN = 'd-payloadstudio1';
const DOMAIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/StudioDomainRole`;
const ALICE_ROLE = `arn:aws:iam::${ACCOUNT}:role/AliceRole`;
const CLASSIC_APP = 'datascience-ml-m5-large-0123456789abcdef0';
const CLASSIC_ARN = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:app/${DOMAIN}/alice/kernelgateway/${CLASSIC_APP}`;
const SPACE_ARN = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:app/${DOMAIN}/team-space/jupyterlab/default`;

const SCENARIO = payloadScenario()
  .domain({
    id: DOMAIN,
    name: 'payload',
    executionRole: DOMAIN_ROLE,
    userProfiles: [
      {
        name: 'alice',
        executionRole: ALICE_ROLE,
        apps: [{ type: 'KernelGateway' as const, name: CLASSIC_APP }],
      },
      { name: 'bob', apps: [{ type: 'KernelGateway' as const, name: 'bob-app' }] },
    ],
    spaces: [{ name: 'team-space', apps: [{ type: 'JupyterLab' as const, name: 'default' }] }],
  })
  .build();

let containerCount = 0;

async function startContainer(
  emulator: Emulator,
  hostname: string,
  files: Record<string, ContainerFile>,
  env: Record<string, string> = {},
  users = [] as (typeof SAGEMAKER_USER)[],
): Promise<SimulatedContainer> {
  return emulator.containers.start({
    id: `payload-resources-${++containerCount}`,
    hostname,
    env: baseEnv(env),
    files: { ...payloadFiles(), ...files },
    users,
    roleIdentity: EXECUTION_ROLE.name,
  });
}

function registeredId(output: string): string {
  const match = /sm-init-ssm: registered as (mi-[0-9a-f]{17})/.exec(output);
  assert.ok(match, `not registered:\n${output}`);
  return match[1]!;
}

async function tagsAfterInit(
  emulator: Emulator,
  container: SimulatedContainer,
  env: Record<string, string> = {},
): Promise<Tags> {
  const result = await container.exec(`bash ${CODE_PACKAGE}/sm-init-ssm`, { env, timeoutMs: 60_000 });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const { SSHTimestamp, ...tags } = await tagsOf(
    clientsFor(emulator, 'developer').ssm,
    registeredId(result.stdout),
  );
  assert.match(SSHTimestamp!, /^\d{10}$/);
  return tags;
}

describe('payload e2e: sm-init-ssm tags each kind of SageMaker resource as upstream does', function () {
  this.timeout(120_000);
  const emulator = useEmulator(SCENARIO);
  const common = { SSHOwner: OWNER_USER_ID, SSHCreator: EXECUTION_ROLE.userId };

  it('a processing job (processingjobconfig.json; the node from /opt/ml/config/resourceconfig.json)', async () => {
    const arn = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:processing-job/prep-data-7`;
    const container = await startContainer(emulator(), 'algo-2', {
      '/opt/ml/config/processingjobconfig.json': json({
        ProcessingJobName: 'prep-data-7',
        ProcessingJobArn: arn,
      }),
      '/opt/ml/config/resourceconfig.json': json({ current_host: 'algo-2', hosts: ['algo-1', 'algo-2'] }),
    });
    assert.deepEqual(await tagsAfterInit(emulator(), container), {
      ...common,
      SSHResourceName: 'prep-data-7',
      SSHResourceArn: arn,
      SSHHost: 'algo-2',
    });
  });

  it('a batch transform job (the name is the second field of TRANSFORM_JOB_ARN)', async () => {
    const arn = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:transform-job/score-batch-1`;
    const container = await startContainer(emulator(), 'ip-10-0-0-1', {}, { TRANSFORM_JOB_ARN: arn });
    assert.deepEqual(await tagsAfterInit(emulator(), container), {
      ...common,
      SSHResourceName: 'score-batch-1',
      SSHResourceArn: arn,
      SSHHost: 'ip-10-0-0-1',
    });
  });

  it('an endpoint container (nothing to tell it: empty name and ARN, as upstream)', async () => {
    const container = await startContainer(emulator(), 'model-host', {});
    assert.deepEqual(await tagsAfterInit(emulator(), container), {
      ...common,
      SSHResourceName: '',
      SSHResourceArn: '',
      SSHHost: 'model-host',
    });
  });

  it('a notebook instance running local mode (resource-metadata.json wins over TRAINING_JOB_NAME)', async () => {
    const arn = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:notebook-instance/my-notebook`;
    const container = await startContainer(
      emulator(),
      'algo-1-abcde',
      { '/opt/ml/metadata/resource-metadata.json': json({ ResourceName: 'my-notebook', ResourceArn: arn }) },
      { TRAINING_JOB_NAME: 'local-job' },
    );
    const result = await container.exec(`bash ${CODE_PACKAGE}/sm-init-ssm`);
    assert.match(result.stdout, /for notebook instance my-notebook/);
    const { SSHTimestamp: _, ...tags } = await tagsOf(
      clientsFor(emulator(), 'developer').ssm,
      registeredId(result.stdout),
    );
    assert.deepEqual(tags, {
      ...common,
      SSHResourceName: 'my-notebook',
      SSHResourceArn: arn,
      SSHHost: 'algo-1-abcde',
    });
  });

  it('takes the role name from an ARN in SSH_SSM_ROLE, with a warning', async () => {
    const container = await startContainer(emulator(), 'algo-1', {}, { TRAINING_JOB_NAME: 'arn-role-job' });
    const result = await container.exec(`bash ${CODE_PACKAGE}/sm-init-ssm`, {
      env: { SSH_SSM_ROLE: `arn:aws:iam::${ACCOUNT}:role/service-role/MyRole` },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /WARNING: SSH_SSM_ROLE is a role ARN; CreateActivation takes the role name, so using 'service-role\/MyRole'/,
    );
    const activationId = emulator().state.instances.get(registeredId(result.stdout))!.activationId!;
    assert.equal(
      (await activationOf(clientsFor(emulator(), 'developer').ssm, activationId)).iamRole,
      'service-role/MyRole',
    );
  });
});

describe('payload e2e: sm-ssh-ide in Studio apps', function () {
  this.timeout(120_000);
  const emulator = useEmulator(SCENARIO);
  const running: ChildProcess[] = [];
  after(() => running.forEach((child) => child.kill('SIGKILL')));

  it('Studio Classic (KernelGateway, root): owner from set-local-user-id, role from DescribeUserProfile', async () => {
    const container = await startContainer(
      emulator(),
      CLASSIC_APP,
      {
        // Studio Classic metadata has no ExecutionRoleArn.
        '/opt/ml/metadata/resource-metadata.json': json({
          AppType: 'KernelGateway',
          DomainId: DOMAIN,
          UserProfileName: 'alice',
          ResourceArn: CLASSIC_ARN,
          ResourceName: CLASSIC_APP,
        }),
      },
      { SSH_SSM_ROLE: '', SSH_OWNER_TAG: '' },
    );
    const metadata = await container.exec('bash /opt/ml/code/sagemaker_ssh_helper/sm-ssh-ide get-metadata');
    assert.match(metadata.stdout, /^User profile name: alice$/m);
    assert.match(
      metadata.stdout,
      new RegExp(`^  ssh ${CLASSIC_APP}\\.alice\\.${DOMAIN}\\.studio\\.sagemaker$`, 'm'),
    );
    assert.match(
      metadata.stdout,
      new RegExp(`^  sm-ssh connect ${CLASSIC_APP}\\.alice\\.${DOMAIN}\\.studio\\.sagemaker$`, 'm'),
    );
    const noOwner = await container.exec(`bash ${CODE_PACKAGE}/sm-ssh-ide init-ssm`);
    assert.equal(noOwner.code, 1);
    assert.match(
      noOwner.stderr,
      /init-ssm: nobody is set as the owner: run 'sm-ssh-ide set-local-user-id <aws:userid>'/,
    );
    const set = await container.exec(`bash ${CODE_PACKAGE}/sm-ssh-ide set-local-user-id ${OWNER_USER_ID}`);
    assert.match(set.stdout, /saved 'AIDAPAYLOADOWNER0001' in \/root\/\.sm-ssh-owner/);
    const keep = await container.exec(`bash ${CODE_PACKAGE}/sm-ssh-ide set-local-user-id AIDASOMEONEELSE`);
    assert.match(
      keep.stderr,
      /already says 'AIDAPAYLOADOWNER0001'; keeping it \(use --force to replace it\)/,
    );
    const since = emulator().calls.lastSeq;
    const init = await container.exec(`bash ${CODE_PACKAGE}/sm-ssh-ide init-ssm`, { timeoutMs: 60_000 });
    assert.equal(init.code, 0, init.stdout + init.stderr);
    assert.equal(emulator().calls.count({ since, operation: 'DescribeUserProfile' }), 1);
    const instanceId = registeredId(init.stdout);
    const { SSHTimestamp: _, ...tags } = await tagsOf(clientsFor(emulator(), 'developer').ssm, instanceId);
    assert.deepEqual(tags, {
      SSHOwner: OWNER_USER_ID,
      SSHCreator: EXECUTION_ROLE.userId,
      SSHResourceName: CLASSIC_APP,
      SSHResourceArn: CLASSIC_ARN,
      SSHHost: CLASSIC_APP,
    });
    const activationId = emulator().state.instances.get(instanceId)!.activationId!;
    assert.equal(
      (await activationOf(clientsFor(emulator(), 'developer').ssm, activationId)).iamRole,
      'AliceRole',
    );
  });

  it('falls back to DescribeDomain when the user profile has no role of its own', async () => {
    const container = await startContainer(
      emulator(),
      'bob-app',
      {
        '/opt/ml/metadata/resource-metadata.json': json({
          DomainId: DOMAIN,
          UserProfileName: 'bob',
          ResourceArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:app/${DOMAIN}/bob/kernelgateway/bob-app`,
          ResourceName: 'bob-app',
        }),
      },
      { SSH_SSM_ROLE: '' },
    );
    const init = await container.exec(`bash ${CODE_PACKAGE}/sm-ssh-ide init-ssm`, { timeoutMs: 60_000 });
    assert.equal(init.code, 0, init.stdout + init.stderr);
    assert.match(
      init.stdout,
      /init-ssm: app bob-app in domain d-payloadstudio1, owner AIDAPAYLOADOWNER0001, role service-role\/StudioDomainRole/,
    );
  });

  it('a space app run as sagemaker-user: AWS calls as the user, only the root steps through sudo', async () => {
    const support = path.join(REPO_ROOT, 'test', 'e2e', 'payload', 'support');
    const container = await startContainer(
      emulator(),
      'default',
      {
        '/opt/ml/metadata/resource-metadata.json': json({
          AppType: 'CodeEditor',
          DomainId: DOMAIN,
          SpaceName: 'team-space',
          ResourceArn: SPACE_ARN.replace('jupyterlab', 'codeeditor'),
          ResourceName: 'default',
          ExecutionRoleArn: DOMAIN_ROLE,
        }),
        '/usr/local/bin/sudo': { content: readFileSync(path.join(support, 'sudo-shim')), mode: 0o755 },
        '/usr/local/sbin/sudo-broker': {
          content: readFileSync(path.join(support, 'sudo-broker')),
          mode: 0o755,
        },
      },
      { SSH_SSM_ROLE: '', SSH_OWNER_TAG: '', SAGEMAKER_SPACE_NAME: 'team-space' },
      [SAGEMAKER_USER],
    );
    running.push(container.spawn(['/usr/local/sbin/sudo-broker'], { log: false }));
    const asUser = (command: string) =>
      container.exec(
        `setpriv --reuid=${SAGEMAKER_USER.uid} --regid=${SAGEMAKER_USER.gid} --init-groups -- bash -c '${command}'`,
        {
          env: {
            HOME: SAGEMAKER_USER.home,
            USER: SAGEMAKER_USER.name,
            PATH: `${SAGEMAKER_USER.home}/.local/bin:/usr/local/bin:/usr/bin:/bin`,
          },
          timeoutMs: 60_000,
        },
      );
    assert.equal((await asUser('id -un')).stdout, 'sagemaker-user\n');
    assert.equal(
      (await asUser(`bash ${CODE_PACKAGE}/sm-ssh-ide set-local-user-id ${OWNER_USER_ID}`)).code,
      0,
    );
    const configure = await asUser(`bash ${CODE_PACKAGE}/sm-ssh-ide configure --ssh-only`);
    assert.equal(configure.code, 0, configure.stdout + configure.stderr);
    const init = await asUser('sm-ssh-ide init-ssm');
    assert.equal(init.code, 0, init.stdout + init.stderr);
    const instanceId = registeredId(init.stdout);
    const start = await asUser('sm-ssh-ide start');
    assert.equal(start.code, 0, start.stdout + start.stderr);
    const agent = container.spawn(
      [
        'setpriv',
        `--reuid=${SAGEMAKER_USER.uid}`,
        `--regid=${SAGEMAKER_USER.gid}`,
        '--init-groups',
        '--',
        '/usr/local/bin/sm-ssh-ide',
        'ssm-agent',
      ],
      { env: { HOME: SAGEMAKER_USER.home } },
    );
    running.push(agent);
    assert.equal(await emulator().containers.agentConnected(container.id, 30_000), instanceId);

    const { SSHTimestamp: _, ...tags } = await tagsOf(clientsFor(emulator(), 'developer').ssm, instanceId);
    assert.equal(tags.SSHOwner, OWNER_USER_ID);
    assert.equal(
      tags.SSHCreator,
      EXECUTION_ROLE.userId,
      "CreateActivation ran with the app user's credentials",
    );
    const calls = (await container.readFile('/tmp/sudo-calls')).trim().split('\n');
    assert.ok(
      calls.some((call) =>
        /^amazon-ssm-agent -register -id [0-9a-f-]{36} -code \S+ -region us-east-1 -y$/.test(call),
      ),
      calls.join('\n'),
    );
    assert.ok(
      calls.some((call) => /^cp \/tmp\/sm-save-env\.\w+ \/etc\/environment$/.test(call)),
      'the environment is saved by the user, written by root',
    );
    assert.ok(calls.some((call) => call.endsWith('sm-setup-ssh start-sshd')));
    assert.ok(calls.some((call) => call.endsWith('sm-setup-ssh run-agent')));
    assert.ok(
      !calls.some((call) => /sm-init-ssm|sm-save-env$|CreateActivation/.test(call)),
      'AWS calls and the environment dump are not run as root',
    );
    const owners = await container.exec(
      'stat -c "%U %n" /etc/environment /opt/sagemaker-ssh-helper/ssm-registration /usr/local/bin/sm-ssh-ide /home/sagemaker-user/.sm-ssh-owner',
    );
    assert.deepEqual(owners.stdout.trim().split('\n'), [
      'root /etc/environment',
      'root /opt/sagemaker-ssh-helper/ssm-registration',
      'root /usr/local/bin/sm-ssh-ide',
      'sagemaker-user /home/sagemaker-user/.sm-ssh-owner',
    ]);
    const saved = await container.readFile('/etc/environment');
    assert.match(saved, /^PATH='\/home\/sagemaker-user\/\.local\/bin:/m, "the user's own PATH, not sudo's");
    assert.match(saved, /^SAGEMAKER_SPACE_NAME='team-space'$/m);
    const stop = await asUser('sm-ssh-ide stop');
    assert.match(stop.stdout, /stop: stopped amazon-ssm-agent/);
  });

  it('a JupyterLab space (sagemaker-user): role from ExecutionRoleArn, start, ssm-agent, status, SSH as sagemaker-user, stop', async () => {
    const home = SAGEMAKER_USER.home;
    const container = await startContainer(
      emulator(),
      'default',
      {
        '/opt/ml/metadata/resource-metadata.json': json({
          AppType: 'JupyterLab',
          DomainId: DOMAIN,
          UserProfileName: '',
          SpaceName: 'team-space',
          ResourceArn: SPACE_ARN,
          ResourceName: 'default',
          ExecutionRoleArn: DOMAIN_ROLE,
        }),
      },
      { SSH_SSM_ROLE: '', SSH_OWNER_TAG: '', HOME: home, SAGEMAKER_SPACE_NAME: 'team-space' },
      [SAGEMAKER_USER],
    );
    const ide = (command: string) =>
      container.exec(`bash ${CODE_PACKAGE}/sm-ssh-ide ${command}`, { timeoutMs: 60_000 });
    assert.equal((await ide('get-app-space-name')).stdout, 'team-space\n');
    assert.equal((await ide('get-domain-id')).stdout, `${DOMAIN}\n`);
    assert.match(
      (await ide('get-metadata')).stdout,
      /^ {2}ssh default\.team-space\.d-payloadstudio1\.studio\.sagemaker$/m,
    );
    assert.equal((await ide(`set-local-user-id ${OWNER_USER_ID}`)).code, 0);
    assert.equal((await container.readFile(`${home}/.sm-ssh-owner`)).trim(), OWNER_USER_ID);
    const configure = await ide('configure --ssh-only');
    assert.equal(configure.code, 0, configure.stdout + configure.stderr);
    const since = emulator().calls.lastSeq;
    const init = await ide('init-ssm');
    assert.equal(init.code, 0, init.stdout + init.stderr);
    assert.equal(
      emulator().calls.count({ since, service: 'sagemaker' }),
      0,
      'the role came from the metadata',
    );
    const instanceId = registeredId(init.stdout);
    const { SSHTimestamp: _, ...tags } = await tagsOf(clientsFor(emulator(), 'developer').ssm, instanceId);
    assert.deepEqual(tags, {
      SSHOwner: OWNER_USER_ID,
      SSHCreator: EXECUTION_ROLE.userId,
      SSHResourceName: 'default',
      SSHResourceArn: SPACE_ARN,
      SSHHost: 'default',
    });
    const start = await ide('start');
    assert.equal(start.code, 0, start.stdout + start.stderr);
    assert.match(start.stdout, /start: sshd runs; now run 'sm-ssh-ide ssm-agent'/);
    const twice = await ide('start');
    assert.equal(twice.code, 1);
    assert.match(
      twice.stderr,
      /already started \(\/tmp\/\.ssh-ide-local-lock exists\); run 'sm-ssh-ide stop' first/,
    );
    const agent = container.spawn(['bash', `${CODE_PACKAGE}/sm-ssh-ide`, 'ssm-agent']);
    running.push(agent);
    assert.equal(await emulator().containers.agentConnected(container.id, 30_000), instanceId);
    const status = await ide('status');
    assert.match(status.stdout, new RegExp(`^SSM managed node: ${instanceId}$`, 'm'));
    assert.match(status.stdout, /^sshd: running \(pid \d+\)$/m);
    assert.match(status.stdout, /^amazon-ssm-agent: running$/m);
    assert.match(status.stdout, /^owner \(SSHOwner\): AIDAPAYLOADOWNER0001$/m);

    await emulator().containers.installSessions();
    const ssh = await sshClient();
    try {
      await container.writeFile('/etc/ssh/authorized_keys', ssh.publicKey);
      const session = await ssh.run(
        emulator(),
        instanceId,
        'id -un; printf "%s\\n" "$SAGEMAKER_SPACE_NAME" "$HOME"',
        'sagemaker-user',
      );
      assert.equal(session.code, 0, session.stderr);
      assert.deepEqual(session.stdout.split('\n').slice(0, 3), ['sagemaker-user', 'team-space', home]);
    } finally {
      await ssh.close();
    }

    const stop = await ide('stop');
    assert.match(stop.stdout, /stop: stopped amazon-ssm-agent \(pid \d+\)/);
    assert.match(stop.stdout, /stop: stopped sshd \(pid \d+\)/);
    await exited(agent);
    await eventually(
      async () => ((await ide('status')).stdout.includes('sshd: not running') ? true : undefined),
      'sshd to stop',
      logOf(container),
    );
  });
});
