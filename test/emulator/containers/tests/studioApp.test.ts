import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DescribeInstanceInformationCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ssm';
import { throwawaySshArgs } from '../../../builders/throwawaySsh';
import { runHostProcess } from '../processes';
import { clientsFor, useEmulator } from '../../../support/emulator';
import { DEVELOPER, EXECUTION_ROLE, OWNER_USER_ID } from './helpers';

const DOMAIN = 'd-containers0001';
const SPACE_APP_ARN = `arn:aws:sagemaker:us-east-1:123456789012:app/${DOMAIN}/dev-space/jupyterlab/default`;
const CLASSIC_APP_ARN = `arn:aws:sagemaker:us-east-1:123456789012:app/${DOMAIN}/developer/kernelgateway/datascience-app`;
const SM_SSH_CLI = path.resolve(__dirname, '../../../../src/cli/smSsh.js');

describe('containers: Studio apps that declare SSH', () => {
  const emulator = useEmulator({
    identities: [DEVELOPER, EXECUTION_ROLE],
    sagemaker: {
      domains: [
        {
          id: DOMAIN,
          name: 'studio',
          userProfiles: [
            {
              name: 'developer',
              apps: [
                {
                  type: 'KernelGateway',
                  name: 'datascience-app',
                  ssh: { owner: OWNER_USER_ID, agent: 'aws' },
                },
              ],
            },
          ],
          spaces: [
            {
              name: 'dev-space',
              ownerUserProfile: 'developer',
              apps: [{ type: 'JupyterLab', name: 'default', ssh: { owner: OWNER_USER_ID, agent: 'aws' } }],
            },
          ],
        },
      ],
    },
  });
  let dir: string;
  let keyPath: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'containers-studio-'));
    keyPath = path.join(dir, 'id_ed25519');
    await runHostProcess('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
    const publicKey = await readFile(`${keyPath}.pub`, 'utf8');
    for (const node of emulator().containers.nodes())
      await node.container.writeFile('/etc/ssh/authorized_keys', publicKey);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const node = (arn: string) =>
    emulator()
      .containers.nodes()
      .find((candidate) => candidate.resourceArn === arn)!;

  it('registers each app with its ARN, the app name as SSHHost and ComputerName, and writes resource-metadata.json', async () => {
    const { ssm } = clientsFor(emulator());
    for (const [arn, name, user] of [
      [SPACE_APP_ARN, 'default', 'sagemaker-user'],
      [CLASSIC_APP_ARN, 'datascience-app', 'root'],
    ] as const) {
      const app = node(arn);
      assert.equal(app.user, user);
      const listed = await ssm.send(
        new DescribeInstanceInformationCommand({
          Filters: [{ Key: 'InstanceIds', Values: [app.instanceId!] }],
        }),
      );
      assert.equal(listed.InstanceInformationList![0]!.ComputerName, name);
      assert.equal(listed.InstanceInformationList![0]!.PingStatus, 'Online');
      const tags = Object.fromEntries(
        (
          await ssm.send(
            new ListTagsForResourceCommand({ ResourceType: 'ManagedInstance', ResourceId: app.instanceId }),
          )
        ).TagList!.map((tag) => [tag.Key, tag.Value]),
      );
      assert.deepEqual(
        { owner: tags.SSHOwner, name: tags.SSHResourceName, arn: tags.SSHResourceArn, host: tags.SSHHost },
        { owner: OWNER_USER_ID, name, arn, host: name },
      );
    }
    const metadata = JSON.parse(
      await node(SPACE_APP_ARN).container.readFile('/opt/ml/metadata/resource-metadata.json'),
    ) as Record<string, string>;
    assert.equal(metadata.ResourceArn, SPACE_APP_ARN);
    assert.equal(metadata.ResourceName, 'default');
    assert.equal(metadata.DomainId, DOMAIN);
    assert.equal(metadata.SpaceName, 'dev-space');
    assert.equal(metadata.AppType, 'JupyterLab');
    assert.equal(metadata.ExecutionRoleArn, 'arn:aws:iam::123456789012:role/SageMakerExecutionRole');
  });

  it('routes an SSM session for port 22 of the app instance to its sshd: ssh sagemaker-user@ through the tunnel', async () => {
    const app = node(SPACE_APP_ARN);
    assert.ok(emulator().containers.sessions, 'declared containers install the session operations');
    const endpoint = emulator().containers.resolveTarget(app.instanceId!, 22, undefined);
    assert.ok(endpoint && 'dial' in endpoint, 'a dialer into the container');
    assert.equal(endpoint.name, `${app.container.id}:127.0.0.1:22`);
    const awsConfig = path.join(dir, 'aws-config');
    await writeFile(awsConfig, '');
    const ssh = await runHostProcess(
      'ssh',
      [
        ...throwawaySshArgs(keyPath),
        '-o',
        'LogLevel=ERROR',
        '-o',
        `ProxyCommand=${process.execPath} ${SM_SSH_CLI} ssm-proxy --target %h --port %p`,
        `sagemaker-user@${app.instanceId}`,
        'echo "$(id -un) $HOME $(hostname)"; cat /opt/ml/metadata/resource-metadata.json >/dev/null && echo metadata',
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: dir,
          AWS_CONFIG_FILE: awsConfig,
          AWS_SHARED_CREDENTIALS_FILE: awsConfig,
          AWS_EC2_METADATA_DISABLED: 'true',
          ...emulator().env('developer'),
        },
      },
    );
    assert.equal(ssh.code, 0, ssh.stderr);
    assert.equal(ssh.stdout, 'sagemaker-user /home/sagemaker-user default\nmetadata\n');
  });

  it('Studio Classic apps log in as root', async () => {
    const { container } = node(CLASSIC_APP_ARN);
    const ssh = await runHostProcess('ssh', [
      ...throwawaySshArgs(keyPath),
      '-o',
      'LogLevel=ERROR',
      '-p',
      String(container.sshdPort),
      'root@127.0.0.1',
      'echo "$(id -un) $(hostname)"',
    ]);
    assert.equal(ssh.code, 0, ssh.stderr);
    assert.equal(ssh.stdout, 'root datascience-app\n');
  });
});
