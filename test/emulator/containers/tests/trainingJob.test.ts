import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  DescribeActivationsCommand,
  DescribeInstanceInformationCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-ssm';
import { clientsFor, useEmulator } from '../../../support/emulator';
import { DEVELOPER, EXECUTION_ROLE, OWNER_USER_ID, scannedHostKey } from './helpers';

const JOB = 'bert-distributed-ssh-1';
const JOB_ARN = `arn:aws:sagemaker:us-east-1:123456789012:training-job/${JOB}`;

describe('containers: a declared 2-node training job', () => {
  const started = Date.now();
  const emulator = useEmulator({
    identities: [DEVELOPER, EXECUTION_ROLE],
    sagemaker: {
      trainingJobs: [
        {
          name: JOB,
          status: 'InProgress',
          instanceCount: 2,
          environment: {
            SSH_OWNER_TAG: OWNER_USER_ID,
            SSH_INSTANCE_COUNT: '2',
            SSH_WAIT_TIME_SECONDS: '600',
          },
          hyperParameters: { epochs: '3' },
          ssh: { nodes: 2 },
        },
      ],
    },
  });
  const node = (host: string) => {
    const found = emulator()
      .containers.nodes()
      .find((candidate) => candidate.host === host);
    assert.ok(found, `no node ${host}`);
    return found;
  };

  it('registers one Online managed instance per node, tagged like the container side tags it', async () => {
    const { ssm } = clientsFor(emulator());
    const listed = await ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'tag:SSHResourceName', Values: [JOB] }] }),
    );
    const instances = listed.InstanceInformationList!;
    assert.deepEqual(instances.map((instance) => instance.ComputerName).sort(), ['algo-1', 'algo-2']);
    for (const instance of instances) {
      assert.equal(instance.PingStatus, 'Online');
      assert.equal(instance.PlatformType, 'Linux');
      assert.equal(instance.ResourceType, 'ManagedInstance');
      assert.equal(instance.IamRole, 'SageMakerExecutionRole');
      const tags = Object.fromEntries(
        (
          await ssm.send(
            new ListTagsForResourceCommand({
              ResourceType: 'ManagedInstance',
              ResourceId: instance.InstanceId,
            }),
          )
        ).TagList!.map((tag) => [tag.Key, tag.Value]),
      );
      assert.equal(tags.SSHOwner, OWNER_USER_ID);
      assert.equal(tags.SSHCreator, EXECUTION_ROLE.userId);
      assert.equal(tags.SSHResourceName, JOB);
      assert.equal(tags.SSHResourceArn, JOB_ARN);
      assert.equal(tags.SSHHost, instance.ComputerName);
      const timestamp = Number(tags.SSHTimestamp) * 1000;
      assert.ok(timestamp >= Math.floor(started / 1000) * 1000 && timestamp <= Date.now(), tags.SSHTimestamp);
      assert.equal(node(instance.ComputerName!).instanceId, instance.InstanceId);
    }
    const activations = await ssm.send(
      new DescribeActivationsCommand({
        Filters: [
          { FilterKey: 'ActivationIds', FilterValues: instances.map((instance) => instance.ActivationId!) },
        ],
      }),
    );
    assert.equal(activations.ActivationList!.length, 2);
    for (const activation of activations.ActivationList!) {
      assert.equal(activation.Description, 'Activation for Amazon SageMaker integration with SSH and IDEs');
      assert.equal(activation.RegistrationsCount, 1);
    }
  });

  it('registered through the agent: unsigned RegisterManagedInstance, heartbeats signed by the execution role', () => {
    const calls = emulator().calls.all();
    const registrations = calls.filter((call) => call.operation === 'RegisterManagedInstance');
    assert.equal(registrations.length, 2);
    assert.ok(registrations.every((call) => call.identity === undefined && call.status === 200));
    const heartbeats = calls.filter((call) => call.operation === 'UpdateInstanceInformation');
    assert.ok(heartbeats.length >= 2);
    assert.ok(heartbeats.every((call) => call.identity === EXECUTION_ROLE.arn && call.status === 200));
  });

  it('runs a real sshd per container on its own port 22, with its own host keys, each reached through its own sshdPort', async () => {
    const keys = new Set<string>();
    for (const host of ['algo-1', 'algo-2']) {
      const { container } = node(host);
      const scanned = await scannedHostKey(container.sshdPort);
      const hostKey = (await container.readFile('/etc/ssh/ssh_host_ed25519_key.pub'))
        .split(' ')
        .slice(0, 2)
        .join(' ');
      assert.equal(scanned, hostKey, host);
      keys.add(hostKey);
    }
    assert.equal(keys.size, 2);
    assert.notEqual(node('algo-1').container.sshdPort, node('algo-2').container.sshdPort);
  });

  it('isolates /tmp, /etc/ssh, /etc/environment and the hostname from the host and from the other node', async () => {
    const algo1 = node('algo-1').container;
    const algo2 = node('algo-2').container;
    const marker = `isolation-${process.pid}-${Date.now()}`;
    const hostEnvironment = await readFile('/etc/environment', 'utf8');
    const written = await algo1.exec(
      `echo inside > /tmp/${marker} && echo inside > /etc/ssh/${marker} && hostname && cat /etc/environment`,
    );
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stdout, /^algo-1\n/);
    assert.match(written.stdout, new RegExp(`TRAINING_JOB_NAME=${JOB}`));
    assert.equal(existsSync(path.join('/tmp', marker)), false);
    assert.equal(existsSync(path.join('/etc/ssh', marker)), false);
    assert.equal(await readFile('/etc/environment', 'utf8'), hostEnvironment);
    const other = await algo2.exec(
      `hostname; test ! -e /tmp/${marker} && test ! -e /etc/ssh/${marker} && echo absent`,
    );
    assert.equal(other.stdout, 'algo-2\nabsent\n');

    const hostDir = await mkdtemp(path.join(tmpdir(), 'containers-host-'));
    try {
      await writeFile(path.join(hostDir, 'host-file'), 'host');
      const seen = await algo1.exec(`test -e ${hostDir}/host-file && echo visible || echo hidden`);
      assert.equal(seen.stdout, 'hidden\n');
    } finally {
      await rm(hostDir, { recursive: true, force: true });
    }
    const readOnly = await algo1.exec(`touch /usr/bin/${marker}`);
    assert.notEqual(readOnly.code, 0);
    assert.match(readOnly.stderr, /Read-only file system/);
    assert.equal(existsSync(`/usr/bin/${marker}`), false);
  });

  it("gives each node SageMaker's environment, resourceconfig.json and the execution role's credentials", async () => {
    const { container } = node('algo-2');
    const env = await container.exec('env');
    const vars = Object.fromEntries(
      env.stdout
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    assert.equal(vars.TRAINING_JOB_NAME, JOB);
    assert.equal(vars.TRAINING_JOB_ARN, JOB_ARN);
    assert.equal(vars.AWS_REGION, 'us-east-1');
    assert.equal(vars.AWS_ENDPOINT_URL, emulator().endpoint);
    assert.equal(vars.SSH_OWNER_TAG, OWNER_USER_ID);
    assert.equal(vars.SM_CURRENT_HOST, 'algo-2');
    assert.equal(vars.AWS_ACCESS_KEY_ID, undefined, 'nothing leaks in from the host environment');
    const config = JSON.parse(await container.readFile('/opt/ml/input/config/resourceconfig.json')) as {
      current_host: string;
      hosts: string[];
    };
    assert.equal(config.current_host, 'algo-2');
    assert.deepEqual(config.hosts, ['algo-1', 'algo-2']);
    assert.deepEqual(JSON.parse(await container.readFile('/opt/ml/input/config/hyperparameters.json')), {
      epochs: '3',
    });

    const fetchCredentials = `python3 -c 'import json,os,urllib.request
request = urllib.request.Request(os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"], headers={"Authorization": os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]})
print(json.dumps(json.load(urllib.request.urlopen(request))))'`;
    const credentials = await container.exec(fetchCredentials);
    assert.equal(credentials.code, 0, credentials.stderr);
    const body = JSON.parse(credentials.stdout) as Record<string, string>;
    assert.equal(body.AccessKeyId, EXECUTION_ROLE.accessKeyId);
    assert.equal(body.SecretAccessKey, EXECUTION_ROLE.secretAccessKey);
    assert.equal(body.Token, EXECUTION_ROLE.sessionToken);
    assert.equal(body.RoleArn, 'arn:aws:iam::123456789012:role/SageMakerExecutionRole');
    assert.ok(Date.parse(body.Expiration!) > Date.now());
    const unauthorized = await fetch(vars.AWS_CONTAINER_CREDENTIALS_FULL_URI!);
    assert.equal(unauthorized.status, 401);
  });
});
