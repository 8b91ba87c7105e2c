import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import {
  DescribeInstanceInformationCommand,
  StartSessionCommand,
  TerminateSessionCommand,
} from '@aws-sdk/client-ssm';
import { agentCommand } from '../container';
import { hiddenHostEntries } from '../hostPackages';
import { clientsFor, useEmulator } from '../../../support/emulator';
import { DEVELOPER, EXECUTION_ROLE, processesInNamespace, runShell } from './helpers';
import { eventually } from '../../../support/wait';

/** The stand-in agent's runtime (the host's node), which the sandbox shows its containers. */
const agentRuntime = realpathSync(agentCommand()[0]!);

describe('containers: the runtime API (emulator.containers)', () => {
  const emulator = useEmulator({ identities: [DEVELOPER, EXECUTION_ROLE] });

  it('starts a bare container with files and environment, runs commands in it, and stops it without a trace', async () => {
    const container = await emulator().containers.start({
      id: 'bare-1',
      hostname: 'algo-7',
      env: { GREETING: 'hello world' },
      files: { '/opt/ml/code/train.py': { content: 'print("training")\n', mode: 0o755 } },
    });
    assert.equal(emulator().containers.get('bare-1'), container);
    const result = await container.exec(
      'echo "$GREETING from $(hostname) in $(pwd) as $(id -un)"; python3 train.py; cat',
      {
        cwd: '/opt/ml/code',
        input: 'from stdin\n',
        env: { GREETING: 'hi' },
      },
    );
    assert.deepEqual(result, {
      code: 0,
      signal: null,
      stdout: 'hi from algo-7 in /opt/ml/code as root\ntraining\nfrom stdin\n',
      stderr: '',
    });
    const env = await container.exec('printenv AWS_ENDPOINT_URL AWS_REGION SM_EMULATOR_CONTAINER_ID');
    assert.equal(env.stdout, `${emulator().endpoint}\nus-east-1\nbare-1\n`);

    await container.exec('echo "to the job log" > /proc/1/fd/1');
    assert.match(container.log(), /to the job log/);
    await container.writeFile('/tmp/from-host', 'written from the host');
    assert.equal((await container.exec('cat /tmp/from-host')).stdout, 'written from the host');

    const timedOut = await container.exec('sleep 60', { timeoutMs: 200 });
    assert.equal(timedOut.signal, 'SIGKILL');

    const namespace = container.pidNamespaceId;
    const sandbox = container.sandbox.dir;
    container.spawn(['sleep', '300']);
    await eventually(async () => (await processesInNamespace(namespace)).length >= 2, 'the sleep to start');
    await container.stop();
    assert.deepEqual(await processesInNamespace(namespace), []);
    assert.equal(existsSync(sandbox), false);
    assert.equal(emulator().containers.list().includes(container), false);
    await assert.rejects(container.exec('true'), /ContainerExecError|not running/);
  });

  it("sees the image's packages, not the host's: no aws CLI, pip packages or /usr/local tools", async () => {
    // Whatever this host has beyond the image: every entry the package mask must hide (on the CI host
    // that includes shellcheck, ripgrep and Debian's awscli), the usual leaks if they exist, and
    // /usr/local/bin. Derived from the host's dpkg database, so no particular host package is needed.
    const candidates = [
      '/usr/bin/aws',
      '/usr/bin/shellcheck',
      '/usr/bin/rg',
      '/usr/lib/python3/dist-packages/awscli',
    ];
    const hidden = await hiddenHostEntries({ extraFiles: [agentRuntime] });
    const hostOnly = [...new Set([...candidates.filter((file) => existsSync(file)), ...hidden])];
    assert.ok(
      hidden.length > 0,
      'the host has nothing in /usr/bin, /usr/sbin, /usr/libexec or dist-packages beyond the image: nothing to hide',
    );
    const hostLocal = readdirSync('/usr/local/bin').map((name) => `/usr/local/bin/${name}`);
    const container = await emulator().containers.start({ id: 'image-only', hostname: 'algo-1' });
    try {
      const leaks = await container.exec(
        'while read -r f; do if test -e "$f" || test -L "$f"; then echo "sees $f"; fi; done; ' +
          'python3 -c "import botocore" 2>/dev/null && echo "imports botocore"; command -v aws; ' +
          'for p in python3 sshd ssh-keygen sh ls awk; do command -v "$p" >/dev/null || echo "missing $p"; done',
        {
          input:
            [...hostOnly, ...hostLocal.filter((f) => !f.endsWith('/amazon-ssm-agent'))].join('\n') + '\n',
        },
      );
      assert.deepEqual(leaks, { code: 0, signal: null, stdout: '', stderr: '' });
      const write = await container.exec('touch /usr/bin/aws');
      assert.notEqual(write.code, 0, '/usr stays read-only');
    } finally {
      await container.stop();
    }
  });

  it("brings up a node with the stand-in agent, the demo's fallback without shared/peers: Online, Run Command, sessions through the fake agent", async () => {
    const node = await emulator().containers.startSshNode({
      id: 'stand-in-node',
      hostname: 'algo-1',
      agent: 'stand-in',
      tags: {
        SSHOwner: DEVELOPER.userId,
        SSHCreator: EXECUTION_ROLE.userId,
        SSHTimestamp: String(Math.floor(Date.now() / 1000)),
        SSHResourceName: 'stand-in',
        SSHResourceArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/stand-in',
        SSHHost: 'algo-1',
      },
    });
    try {
      assert.equal(emulator().containers.hub.connection(node.instanceId)?.kind, 'stand-in');
      const { ssm } = clientsFor(emulator(), 'developer');
      const result = await runShell(ssm, node.instanceId, ['echo "$(hostname) $(id -un)"']);
      assert.equal(result.Status, 'Success');
      assert.equal(result.StandardOutputContent, 'algo-1 root\n');
      const sessions = await emulator().containers.installSessions();
      const started = await ssm.send(
        new StartSessionCommand({ Target: node.instanceId, DocumentName: 'AWS-StartSSHSession' }),
      );
      assert.ok(sessions.get(started.SessionId!), 'a fake agent took the session');
      assert.equal(sessions.relay(started.SessionId!), undefined);
      await ssm.send(new TerminateSessionCommand({ SessionId: started.SessionId! }));
    } finally {
      await node.container.stop();
    }
  });

  it('brings up an SSH node with the built-in bootstrap for any tags (startSshNode)', async () => {
    const node = await emulator().containers.startSshNode({
      id: 'custom-node',
      hostname: 'custom-host',
      tags: {
        SSHOwner: DEVELOPER.userId,
        SSHCreator: EXECUTION_ROLE.userId,
        SSHTimestamp: String(Math.floor(Date.now() / 1000)),
        SSHResourceName: 'custom',
        SSHResourceArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/custom',
        SSHHost: 'custom-host',
      },
    });
    try {
      const { ssm } = clientsFor(emulator());
      const listed = await ssm.send(
        new DescribeInstanceInformationCommand({
          Filters: [{ Key: 'InstanceIds', Values: [node.instanceId] }],
        }),
      );
      assert.equal(listed.InstanceInformationList![0]!.ComputerName, 'custom-host');
      assert.equal(emulator().containers.forInstance(node.instanceId), node.container);
      assert.equal(emulator().containers.instanceOf('custom-node'), node.instanceId);
      // What `amazon-ssm-agent -register` writes (agent/agent_parser.go, processRegistration).
      const result = await runShell(ssm, node.instanceId, ['cat /var/lib/amazon/ssm/registration']);
      assert.deepEqual(JSON.parse(result.StandardOutputContent!), {
        ManagedInstanceID: node.instanceId,
        Region: 'us-east-1',
      });
    } finally {
      await node.container.stop();
    }
  });
});
