import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { get } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CancelCommandCommand,
  DescribeInstanceInformationCommand,
  SendCommandCommand,
  StartSessionCommand,
  TerminateSessionCommand,
} from '@aws-sdk/client-ssm';
import WebSocket from 'ws';
import type { Emulator, SimulatedContainer } from '../..';
import { shellWord } from '../../../../src/util/shellQuote';
import { startContainerWebServer } from '../../../e2e/ssm/support/containerWebServer';
import { startForwardProcess } from '../../../e2e/ssm/support/forwardProcess';
import { clientsFor, useEmulator } from '../../../support/emulator';
import {
  ACCOUNT,
  DEVELOPER,
  EXECUTION_ROLE,
  SM_SSH_CLI,
  runShell,
  sshThroughOurClientArgs,
  waitForInvocation,
  isolatedClientEnv,
} from './helpers';
import { eventually } from '../../../support/wait';

const DENIED_ROLE = {
  name: 'denied-role',
  accessKeyId: 'ASIACONTAINERSDENIED1',
  secretAccessKey: 'containers-denied-role-secret',
  sessionToken: 'containers-denied-role-token',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/NoMessagesRole/SageMaker`,
  userId: 'AROACONTAINERSDENIED1:SageMaker',
  deny: ['ssmmessages:*'],
};

/** `amazon-ssm-agent -register` in the container, exactly as sm-init-ssm runs it; returns the mi- id. */
async function registerAgent(
  emulator: Emulator,
  container: SimulatedContainer,
  iamRole: string,
): Promise<string> {
  const { activationId, activationCode } = emulator.createActivation({
    iamRole,
    registrationLimit: 1,
    tags: { SSHOwner: DEVELOPER.userId },
  });
  const register = await container.exec(
    `echo Yes | amazon-ssm-agent -register -id ${shellWord(activationId)} -code ${shellWord(activationCode)} -region ${shellWord(emulator.state.region)}`,
    { timeoutMs: 60_000 },
  );
  const registered = /Managed instance-id: (mi-[0-9a-f]{17})/.exec(register.stdout);
  assert.ok(register.code === 0 && registered, `${register.stdout}\n${register.stderr}`);
  return registered[1]!;
}

describe("containers: AWS's amazon-ssm-agent against the emulator", function () {
  this.timeout(120_000);
  const emulator = useEmulator({ identities: [DEVELOPER, EXECUTION_ROLE, DENIED_ROLE] });

  it('registers, takes role credentials with its RSA key, and is Online while its MGS control channel is open', async () => {
    const container = await emulator().containers.start({
      id: 'aws-agent-1',
      hostname: 'algo-1',
      agent: 'aws',
    });
    try {
      const instanceId = await registerAgent(emulator(), container, 'SageMakerExecutionRole');
      const connected = emulator().containers.agentConnected(container.id, 60_000);
      const agent = container.spawn(['amazon-ssm-agent']);
      assert.equal(await connected, instanceId);
      const connection = emulator().containers.hub.connection(instanceId)!;
      assert.equal(connection.kind, 'mgs');
      assert.equal(connection.agentVersion, '3.3.0.0');
      assert.equal(emulator().containers.forInstance(instanceId), container);

      const { ssm } = clientsFor(emulator(), 'developer');
      const described = await ssm.send(
        new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [instanceId] }] }),
      );
      assert.equal(described.InstanceInformationList?.[0]?.PingStatus, 'Online');
      const calls = emulator().calls.all();
      const token = calls.find((call) => call.operation === 'RequestManagedInstanceRoleToken');
      assert.equal(token?.status, 200);
      const unknown = calls.filter((call) => call.errorCode === 'UnknownOperationException');
      assert.deepEqual(
        unknown.map((call) => `${call.service}:${call.operation}`),
        [],
      );

      const disconnected = once(emulator().containers.hub, 'disconnected');
      agent.kill('SIGKILL');
      await container.exec('pkill -KILL -f ssm-agent-worker || true');
      await disconnected;
      assert.equal(emulator().state.instances.get(instanceId)?.pingStatus, 'ConnectionLost');
    } finally {
      await container.stop();
    }
  });

  it("refuses the control channel of a container whose role is denied ssmmessages:*, in AWS's words", async () => {
    const container = await emulator().containers.start({
      id: 'aws-agent-denied',
      hostname: 'algo-1',
      agent: 'aws',
      roleIdentity: 'denied-role',
    });
    try {
      const instanceId = await registerAgent(emulator(), container, 'NoMessagesRole');
      const refused = new Promise<[number, string]>((resolve) => {
        const listener = (id: string, status: number, message: string): void => {
          if (id !== instanceId) return;
          emulator().containers.hub.off('refused', listener);
          resolve([status, message]);
        };
        emulator().containers.hub.on('refused', listener);
      });
      container.spawn(['amazon-ssm-agent']);
      const [status, message] = await refused;
      assert.equal(status, 403);
      assert.equal(
        message,
        `User: ${DENIED_ROLE.arn} is not authorized to perform: ssmmessages:CreateControlChannel on resource: ` +
          `arn:aws:ssm:us-east-1:${ACCOUNT}:managed-instance/${instanceId} because no identity-based policy allows the ssmmessages:CreateControlChannel action`,
      );
      await eventually(
        async () =>
          (await container.readFile('/var/log/amazon/ssm/amazon-ssm-agent.log')).includes(
            'is not authorized to perform: ssmmessages:CreateControlChannel',
          ),
        "the refusal in the agent's log",
        { timeoutMs: 30_000 },
      );
      assert.equal(emulator().containers.hub.connection(instanceId), undefined);
      // Its heartbeats still say Online, but a session needs the control channel: as on AWS.
      await emulator().containers.installSessions();
      const { ssm } = clientsFor(emulator(), 'developer');
      await assert.rejects(
        ssm.send(new StartSessionCommand({ Target: instanceId, DocumentName: 'AWS-StartSSHSession' })),
        { name: 'TargetNotConnected' },
      );
    } finally {
      await container.stop();
    }
  });
});

describe("containers: Run Command executed by AWS's amazon-ssm-agent over the MGS control channel", function () {
  this.timeout(120_000);
  const emulator = useEmulator({ identities: [DEVELOPER, EXECUTION_ROLE] });
  let container: SimulatedContainer | undefined;
  let instanceId = '';
  const ssm = () => clientsFor(emulator(), 'developer').ssm;

  before(async () => {
    container = await emulator().containers.start({ id: 'aws-agent-rc', hostname: 'algo-1', agent: 'aws' });
    instanceId = await registerAgent(emulator(), container, 'SageMakerExecutionRole');
    const connected = emulator().containers.agentConnected(container.id, 60_000);
    container.spawn(['amazon-ssm-agent']);
    await connected;
  });
  after(async () => {
    await container?.stop();
  });

  it('runs AWS-RunShellScript as root and reports stdout, stderr and the exit code (agent_job → replies)', async () => {
    const kinds: string[] = [];
    const record = (id: string, message: { messageType: string }): void => {
      if (id === instanceId) kinds.push(message.messageType);
    };
    emulator().containers.hub.on('agentMessage', record);
    try {
      const result = await runShell(ssm(), instanceId, [
        'echo "host=$(hostname) user=$(id -un) cwd=$(pwd)"',
        'echo oops >&2',
        'exit 3',
      ]);
      assert.equal(result.Status, 'Failed');
      assert.equal(result.ResponseCode, 3);
      // AWS's agent runs in its own working directory when none is given (not the orchestration folder).
      assert.equal(result.StandardOutputContent, 'host=algo-1 user=root cwd=/\n');
      assert.equal(result.StandardErrorContent, 'oops\nfailed to run commands: exit status 3');
      const ok = await runShell(ssm(), instanceId, ['cd /opt/ml && pwd'], {});
      assert.equal(ok.Status, 'Success');
      assert.equal(ok.ResponseCode, 0);
    } finally {
      emulator().containers.hub.off('agentMessage', record);
    }
    assert.equal(kinds[0], 'agent_job_ack');
    assert.ok(kinds.filter((kind) => kind === 'agent_job_reply').length >= 2, kinds.join(','));
  });

  it('sends a job again until the agent acknowledges it (the agent drops, unacknowledged, a job it got too early)', async () => {
    const acks: string[] = [];
    const record = (id: string, message: { messageType: string }): void => {
      if (id === instanceId && message.messageType === 'agent_job_ack') acks.push(message.messageType);
    };
    emulator().containers.hub.on('agentMessage', record);
    emulator().containers.hub.lostJobs = 1;
    try {
      const result = await runShell(ssm(), instanceId, ['echo delivered']);
      assert.equal(result.Status, 'Success', result.StandardErrorContent);
      assert.equal(result.StandardOutputContent, 'delivered\n');
    } finally {
      emulator().containers.hub.off('agentMessage', record);
      emulator().containers.hub.lostJobs = 0;
    }
    assert.equal(acks.length, 1, 'the agent acknowledged the job it got');
  });

  it('times out with the agent: TimedOut / ExecutionTimedOut, 137, output so far', async () => {
    const result = await runShell(ssm(), instanceId, ['echo started', 'sleep 60'], { executionTimeout: '5' });
    assert.equal(result.Status, 'TimedOut');
    assert.equal(result.StatusDetails, 'ExecutionTimedOut');
    assert.equal(result.ResponseCode, 137);
    assert.equal(result.StandardOutputContent, 'started\n');
  });

  it('cancels through the agent (an aws.ssm.cancelCommand job): Cancelled', async () => {
    const sent = await ssm().send(
      new SendCommandCommand({
        InstanceIds: [instanceId],
        DocumentName: 'AWS-RunShellScript',
        Parameters: { commands: ['echo before > /tmp/cancel-marker', 'sleep 60'] },
      }),
    );
    const commandId = sent.Command!.CommandId!;
    await eventually(
      () =>
        container!.readFile('/tmp/cancel-marker').then(
          () => true,
          () => false,
        ),
      'the command to start',
      { timeoutMs: 30_000 },
    );
    await ssm().send(new CancelCommandCommand({ CommandId: commandId }));
    const result = await waitForInvocation(ssm(), commandId, instanceId, 30_000);
    assert.equal(result.Status, 'Cancelled');
    assert.equal(result.StatusDetails, 'Cancelled');
  });
});

function fetchText(port: number, urlPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    });
    request.on('error', reject);
  });
}

interface SshResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

describe("containers: SSM sessions relayed to AWS's ssm-session-worker", function () {
  this.timeout(180_000);
  const emulator = useEmulator({ identities: [DEVELOPER, EXECUTION_ROLE] });
  let container: SimulatedContainer | undefined;
  let instanceId = '';
  let home = '';

  before(async () => {
    container = await emulator().containers.start({ id: 'aws-agent-ssh', hostname: 'algo-1', agent: 'aws' });
    // The sandbox's sshd_config already raises MaxStartups (as the payload does) for 20 simultaneous logins.
    await container.startSshd();
    instanceId = await registerAgent(emulator(), container, 'SageMakerExecutionRole');
    const connected = emulator().containers.agentConnected(container.id, 60_000);
    container.spawn(['amazon-ssm-agent']);
    await connected;
    await emulator().containers.installSessions();
    home = mkdtempSync(path.join(tmpdir(), 'aws-agent-ssh-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(home, 'id')]);
    await container.writeFile('/etc/ssh/authorized_keys', readFileSync(path.join(home, 'id.pub')));
    const hostKey = (await container.readFile('/etc/ssh/ssh_host_ed25519_key.pub'))
      .split(' ')
      .slice(0, 2)
      .join(' ');
    writeFileSync(path.join(home, 'known_hosts'), `${instanceId} ${hostKey}\n`);
  });
  after(async () => {
    await container?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  /** What our client processes get: the developer's emulator credentials, nothing of the host's AWS setup. */
  function clientEnv(): Record<string, string | undefined> {
    return isolatedClientEnv(home, emulator().env('developer'));
  }

  /** ssh through our client (sm-ssh ssm-proxy as ProxyCommand), host key pinned. */
  async function ssh(remoteCommand: string): Promise<SshResult> {
    const result = await sshRaw(remoteCommand);
    return { code: result.code, stdout: result.stdout.toString('utf8'), stderr: result.stderr };
  }

  function sshRaw(
    remoteCommand: string,
    input?: Buffer,
    onStdout?: (received: number) => void,
  ): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
    const child = spawn('ssh', sshThroughOurClientArgs(home, instanceId, remoteCommand), {
      env: clientEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    let received = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      received += chunk.length;
      onStdout?.(received);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
    const killer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    return new Promise((resolve) =>
      child.once('close', (code) => {
        clearTimeout(killer);
        resolve({ code, stdout: Buffer.concat(stdout), stderr });
      }),
    );
  }

  it("runs a command over ssh: our client ↔ the emulator's relay ↔ AWS's session worker ↔ the container's sshd", async () => {
    const result = await ssh('echo "host=$(hostname) user=$(id -un)"; cat /etc/hostname');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'host=algo-1 user=root\nalgo-1\n');
    const relay = emulator().containers.sessions!.relays().at(-1)!;
    assert.equal(relay.target, instanceId);
    assert.ok(relay.relayed.agent > 3 && relay.relayed.client > 3, JSON.stringify(relay.relayed));
    assert.deepEqual(relay.violations, []);
    assert.equal(emulator().containers.sessions!.all().length, 0, 'no fake agent took part');
  });

  it('moves 8 MiB up and 512 KiB down byte for byte through relay faults (5 % drop, 5 % duplicates, reordering) and a WebSocket drop', async () => {
    const size = 8 * 1024 * 1024;
    const relays = emulator().containers.sessions!;
    // Every session started from here on is faulted from its first data frame.
    const faults = { dropPercent: 5, duplicatePercent: 5, reorderPercent: 5 };
    relays.relayFaults = { toClient: faults, toAgent: faults };
    try {
      const upload = randomBytes(size);
      const expectedUp = createHash('sha256').update(upload).digest('hex');
      const upResult = await sshRaw('sha256sum | cut -d" " -f1', upload, undefined);
      assert.equal(upResult.code, 0, upResult.stderr);
      assert.equal(upResult.stdout.toString().trim(), expectedUp);

      // AWS's agent resends only its oldest unacknowledged message, once per 100 ms
      // (datachannel.go ResendStreamDataMessageScheduler): at 5 % loss a download crawls, so 512 KiB.
      const downSize = 512 * 1024;
      await container!.exec(`head -c ${downSize} /dev/urandom > /tmp/blob`);
      const expectedDown = (await container!.exec('sha256sum /tmp/blob | cut -d" " -f1')).stdout.trim();
      let dropped = false;
      const downResult = await sshRaw('cat /tmp/blob', undefined, (received) => {
        if (dropped || received < downSize / 3) return;
        dropped = true;
        relays.relays().at(-1)!.disconnectClient('abrupt');
      });
      assert.equal(downResult.code, 0, downResult.stderr);
      assert.ok(dropped, 'the WebSocket was dropped mid-transfer');
      assert.equal(downResult.stdout.length, downSize);
      assert.equal(createHash('sha256').update(downResult.stdout).digest('hex'), expectedDown);
      const counters = relays.relays().at(-1)!.toClient.counters;
      assert.ok(
        counters.dropped > 0 && counters.duplicated > 0 && counters.reordered > 0,
        JSON.stringify(counters),
      );
    } finally {
      relays.relayFaults = undefined;
    }
  });

  it('forwards a port (AWS-StartPortForwardingSession, smux): 50 concurrent HTTP requests; a refused port is reported and the listener stays up', async () => {
    // AWS's agent dials localhost:<port> in the container's own network, where the web server runs.
    const web = await startContainerWebServer(container!);
    const refusedPort = web.refusedPort;
    const forward = (remotePort: number): ReturnType<typeof startForwardProcess> =>
      startForwardProcess(
        [
          process.execPath,
          SM_SSH_CLI,
          'ssm-forward',
          '--target',
          instanceId,
          '--remote-port',
          String(remotePort),
          '--local-port',
          '0',
        ],
        clientEnv(),
      );
    try {
      const tunnel = await forward(web.port);
      try {
        const bodies = await Promise.all(
          Array.from({ length: 50 }, (_, i) => fetchText(tunnel.port, `/item/${i}`)),
        );
        bodies.forEach((body, i) => assert.equal(body, `you asked for /item/${i}`));
        const relay = emulator().containers.sessions!.relays().at(-1)!;
        assert.ok(relay.relayed.client > 50, JSON.stringify(relay.relayed));
      } finally {
        assert.equal(await tunnel.stop(), 0);
      }
      const refused = await forward(refusedPort);
      try {
        for (let attempt = 0; attempt < 2; attempt += 1) {
          await assert.rejects(fetchText(refused.port, '/'), /socket hang up|ECONNRESET/);
        }
        await eventually(
          () => /Connection to destination port failed, check SSM Agent logs\./.test(refused.stderr()),
          'the refusal on stderr',
          { timeoutMs: 30_000 },
        );
        assert.equal(refused.child.exitCode, null, 'the forwarder is still running');
      } finally {
        await refused.stop();
      }
    } finally {
      await web.stop();
    }
  });

  it('carries 20 concurrent ssh sessions to one container', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => ssh(`echo session-${index} $(hostname)`)),
    );
    results.forEach((result, index) => {
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `session-${index} algo-1\n`);
    });
  });

  it("answers WebSocket pings on the client's and the agent's channel, as the service does", async () => {
    // AWS's agent extends its read deadline only on a pong: without them it drops its channel after
    // 114 s, which ended every longer session (our client, too, counts unanswered pings).
    const { ssm } = clientsFor(emulator(), 'developer');
    const started = await ssm.send(
      new StartSessionCommand({ Target: instanceId, DocumentName: 'AWS-StartSSHSession' }),
    );
    try {
      const relay = emulator().containers.sessions!.relays().at(-1)!;
      assert.equal(relay.sessionId, started.SessionId);
      const client = await openChannel(started.StreamUrl!, started.TokenValue!);
      assert.equal(await pingPong(client, 'client'), 'client');
      const agentUrl = started.StreamUrl!.split('?')[0];
      const agent = await openChannel(agentUrl, relay.issueAgentToken());
      assert.equal(await pingPong(agent, 'agent'), 'agent');
      client.terminate();
      agent.terminate();
    } finally {
      await ssm.send(new TerminateSessionCommand({ SessionId: started.SessionId! }));
    }
  });
});

/** A data channel WebSocket, opened with OpenDataChannel and the given token. */
async function openChannel(url: string, token: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  await once(socket, 'open');
  socket.send(JSON.stringify({ MessageSchemaVersion: '1.0', RequestId: randomUUID(), TokenValue: token }));
  return socket;
}

/** Pings with `payload` and resolves with the payload of the pong that answers it. */
async function pingPong(socket: WebSocket, payload: string): Promise<string> {
  const pong = once(socket, 'pong');
  socket.ping(payload);
  const [data] = (await pong) as [Buffer];
  return data.toString();
}

describe("containers: scenario declarations with ssh.agent 'aws'", function () {
  this.timeout(120_000);
  const emulator = useEmulator({
    identities: [DEVELOPER, EXECUTION_ROLE],
    sagemaker: {
      trainingJobs: [
        {
          name: 'real-agent-job',
          status: 'InProgress',
          instanceType: 'ml.g5.xlarge',
          instanceCount: 1,
          ssh: { agent: 'aws', owner: DEVELOPER.userId },
        },
      ],
    },
  });

  it("bring their nodes up with AWS's agent through the built-in bootstrap, Online over MGS", async () => {
    const [node] = emulator().containers.nodes();
    assert.ok(node?.instanceId);
    assert.equal(emulator().containers.hub.connection(node.instanceId)?.kind, 'mgs');
    const { ssm } = clientsFor(emulator(), 'developer');
    const described = await ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'tag:SSHHost', Values: ['algo-1'] }] }),
    );
    assert.deepEqual(
      described.InstanceInformationList?.map((info) => [info.InstanceId, info.PingStatus, info.AgentVersion]),
      [[node.instanceId, 'Online', '3.3.0.0']],
    );
  });
});
