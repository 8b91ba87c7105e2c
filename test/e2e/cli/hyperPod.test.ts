import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { ScenarioBuilder, me, testAccount } from '../../builders/scenarioBuilder';
import { targetAlias } from '../../../src/targets/targetAlias';
import type { HyperPodNodeTarget } from '../../../src/targets/hyperPodNode';
import { cliHome } from './cliHarness';
import type { CliHome, CliRun } from './cliHarness';

const CLUSTER_ID = 'abcd1234efgh';
const WORKER = 'i-0aaaaaaaaaaaaaaaa';
const PENDING = 'i-0bbbbbbbbbbbbbbbb';
const node = (instanceId: string, group = 'Worker-Group'): HyperPodNodeTarget => ({
  kind: 'hyperPodNode',
  clusterName: 'ML-Cluster',
  group,
  instanceId,
});
const workerAlias = targetAlias(node(WORKER));
const denied = {
  name: 'no-sessions',
  accessKeyId: 'AKIANOSESSIONSEXAMPLE',
  secretAccessKey: 'no-sessions-secret',
  arn: `arn:aws:iam::${testAccount}:user/no-sessions`,
  userId: 'AIDANOSESSIONSEXAMPLE',
  deny: ['ssm:StartSession'],
};

/**
 * SageMaker and SSM calls the CLI makes, told apart by who signed them: the node's agent polls and reports with its own
 * credentials, and which of its calls fall inside a test's window depends on its timers.
 */
function isCustomerCall(call: { readonly service: string; readonly identity?: string }): boolean {
  return call.identity === me.arn && ['sagemaker', 'ssm'].includes(call.service);
}

/**
 * A HyperPod node in a simulated container (AWS's agent answering its sagemaker-cluster: target,
 * sshd on port 22, user ubuntu): `sm-ssh list`, `shell`, `connect` + plain `ssh`, and bad input,
 * all as real CLI processes.
 */
describe('HyperPod cluster nodes through sm-ssh', function () {
  this.timeout(180_000);
  let emulator: Emulator;
  let cli: CliHome;

  before(async () => {
    const scenario = new ScenarioBuilder().identities(me, denied).build({
      sagemaker: {
        clusters: [
          {
            name: 'ML-Cluster',
            id: CLUSTER_ID,
            instanceGroups: [
              {
                name: 'Worker-Group',
                instanceType: 'ml.g5.2xlarge',
                nodes: [
                  { id: WORKER, container: true },
                  { id: PENDING, status: 'Pending' },
                ],
              },
            ],
          },
        ],
      },
    });
    emulator = await startEmulator({ scenario });
    cli = cliHome(emulator);
  });
  after(async () => {
    await emulator?.close();
    cli?.remove();
  });

  const piped = (args: string[], input: string, env?: NodeJS.ProcessEnv): Promise<CliRun> =>
    cli.piped(args, input, env);

  const container = (): NonNullable<ReturnType<Emulator['containers']['list']>[number]> => {
    const found = emulator.containers.list().find((c) => c.id.endsWith(WORKER));
    assert.ok(found, 'the worker node has a container');
    return found;
  };

  it('lists the cluster nodes with their status and aliases', async () => {
    const result = await cli.run(['list', 'hyperpod.sagemaker']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n').sort(), [
      `Pending\thyperpod\tInService\t${targetAlias(node(PENDING))}`,
      `Running\thyperpod\tInService\t${workerAlias}`,
    ]);
  });

  it('sm-ssh shell runs commands on the node through its sagemaker-cluster: target', async () => {
    const since = emulator.calls.lastSeq;
    const result = await piped(['shell', workerAlias], 'hostname\nid -un\n');
    assert.equal(result.code, 0, result.stderr);
    // The emulator's HyperPod sessions run as ubuntu (AWS's agent refuses RunAs root; see hyperPodNodes.ts).
    assert.deepEqual(result.stdout.split('\n').slice(0, 2), [container().spec.hostname, 'ubuntu']);
    // One StartSession: the alias resolved with DescribeCluster + DescribeClusterNode, no SSM lookups.
    assert.deepEqual(
      emulator.calls
        .filter({ since })
        .filter((call) => isCustomerCall(call) && call.operation !== 'TerminateSession')
        .map((call) => call.operation),
      ['DescribeCluster', 'DescribeClusterNode', 'StartSession'],
    );
  });

  it('connect installs the key for ubuntu over a shell session; plain ssh then logs in', async () => {
    const since = emulator.calls.lastSeq;
    const started = Date.now();
    const connected = await cli.run(['connect', workerAlias, '--', 'true']);
    const connectMs = Date.now() - started;
    assert.equal(connected.code, 0, connected.stderr);
    const calls = emulator.calls
      .filter({ since })
      .filter(isCustomerCall)
      .map((call) => call.operation);
    // A figure for the report: AWS calls and wall time of a first Connect from an alias.
    console.log(`      first connect (alias): ${calls.join(', ')} in ${connectMs} ms`);
    assert.equal(await cli.ssh(workerAlias, 'id -un; hostname'), `ubuntu\n${container().spec.hostname}`);
    const config = readFileSync(cli.managedConfig, 'utf8');
    assert.match(config, new RegExp(`Host ${workerAlias.replace(/\./g, '\\.')}\\n`));
    assert.match(config, /User ubuntu/);
    assert.match(config, new RegExp(`--cluster-id ${CLUSTER_ID}`));
    assert.match(readFileSync(cli.knownHosts, 'utf8'), new RegExp(workerAlias.replace(/\./g, '\\.')));
  });

  it('installs the key again when sshd refuses it, and never adds a second line for it', async () => {
    const keysFile = '/home/ubuntu/.ssh/authorized_keys';
    // Someone replaced the file: our line is gone, theirs is there. ssh is refused once, Connect reinstalls.
    await container().exec(
      `echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwn their-own' > ${keysFile}; chown ubuntu ${keysFile}`,
    );
    const again = await cli.run(['connect', workerAlias, '--', 'true']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /refused our key; installing it again/);
    // Without pinned host keys Connect installs once more, over the line that is there.
    rmSync(cli.knownHosts);
    const third = await cli.run(['connect', workerAlias, '--', 'true']);
    assert.equal(third.code, 0, third.stderr);
    const lines = (await container().exec(`cat ${keysFile}`)).stdout.split('\n').filter(Boolean);
    assert.equal(lines.filter((line) => / sm-ssh-sha256-/.test(line)).length, 1, lines.join('\n'));
    assert.ok(lines.some((line) => line.endsWith(' their-own')));
    assert.equal(await cli.ssh(workerAlias, 'whoami'), 'ubuntu');
  });

  it('names an unknown node, an unknown cluster and a node that is not Running', async () => {
    const unknownNode = await piped(['shell', targetAlias(node('i-0cccccccccccccccc'))], 'true\n');
    assert.equal(unknownNode.code, 1);
    assert.match(unknownNode.stderr, /has no node i-0cccccccccccccccc/);
    const unknownCluster = await cli.run([
      'connect',
      targetAlias({ ...node(WORKER), clusterName: 'no-such-cluster' }),
      '--',
      'true',
    ]);
    assert.equal(unknownCluster.code, 1);
    assert.match(unknownCluster.stderr, /HyperPod cluster "no-such-cluster" was not found in us-east-1/);
    const pending = await piped(['shell', targetAlias(node(PENDING))], 'true\n');
    assert.match(pending.stderr, /is Pending/);
  });

  it('a denied ssm:StartSession names the IAM action', async () => {
    const deniedCli = cliHome(emulator, { identity: denied.name });
    try {
      const result = await piped(['shell', workerAlias], 'true\n', deniedCli.env);
      assert.equal(result.code, 4, result.stderr);
      assert.match(result.stderr, /ssm:StartSession/);
    } finally {
      deniedCli.remove();
    }
  });
});
