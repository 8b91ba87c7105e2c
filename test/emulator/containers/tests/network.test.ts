import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SimulatedContainer } from '../..';
import { shellWord } from '../../../../src/util/shellQuote';
import { useEmulator } from '../../../support/emulator';
import { eventually } from '../../../support/wait';
import { runHostProcess } from '../processes';
import {
  ACCOUNT,
  DEVELOPER,
  EXECUTION_ROLE,
  OWNER_USER_ID,
  scannedHostKey,
  sshThroughOurClientArgs,
  isolatedClientEnv,
} from './helpers';

/** Python run in a container: connects to 127.0.0.1:<argv[1]> and prints its first line, or the error's class. */
const DIAL = String.raw`
import socket, sys
try:
    connection = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=20)
    print('connected: ' + connection.makefile('rb').readline().decode().strip())
except OSError as error:
    print(type(error).__name__)
`;

/** Python run in a container: GET of the container credentials endpoint (on the emulator's HTTP port). */
const CREDENTIALS = String.raw`
import json, os, urllib.request
request = urllib.request.Request(os.environ['AWS_CONTAINER_CREDENTIALS_FULL_URI'],
                                 headers={'Authorization': os.environ['AWS_CONTAINER_AUTHORIZATION_TOKEN']})
print(json.load(urllib.request.urlopen(request, timeout=20))['RoleArn'])
`;

/** Python run in a container: a TLS handshake with the emulator's ssmmessages listener, verified with SSL_CERT_FILE. */
const TLS_HANDSHAKE = String.raw`
import os, socket, ssl, sys
context = ssl.create_default_context(cafile=os.environ['SSL_CERT_FILE'])
with socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=20) as raw:
    with context.wrap_socket(raw, server_hostname='127.0.0.1') as tls:
        print('handshake: ' + tls.version())
`;

async function python(container: SimulatedContainer, program: string, ...args: string[]): Promise<string> {
  const result = await container.exec(`python3 -c "$PROGRAM" ${args.map(shellWord).join(' ')}`, {
    env: { PROGRAM: program },
  });
  return result.stdout.trim() + result.stderr.trim();
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

describe('containers: each in its own network namespace', function () {
  this.timeout(180_000);
  const emulator = useEmulator({ identities: [DEVELOPER, EXECUTION_ROLE] });

  it("reaches the emulator's endpoints, and no other port on the host's loopback (connection refused)", async () => {
    const host = createServer((socket) => socket.end('the host\n'));
    const hostPort = await listen(host);
    const container = await emulator().containers.start({
      id: 'net-probe',
      hostname: 'algo-1',
      agent: 'aws',
    });
    try {
      assert.equal(await python(container, DIAL, String(hostPort)), 'ConnectionRefusedError');
      assert.equal(
        await python(container, CREDENTIALS),
        `arn:aws:iam::${ACCOUNT}:role/SageMakerExecutionRole`,
      );
      const tls = await emulator().tls();
      assert.match(await python(container, TLS_HANDSHAKE, String(tls.port)), /^handshake: TLSv1\.[23]$/);
      // The host's server was there all along.
      const fromHost = await runHostProcess('python3', ['-c', DIAL, String(hostPort)]);
      assert.equal(fromHost.stdout.trim(), 'connected: the host');
    } finally {
      await container.stop();
      await new Promise<void>((resolve) => host.close(() => resolve()));
    }
  });

  it('runs sshd on port 22 in two containers at once; the host reaches each through its own sshdPort', async () => {
    const containers = await Promise.all(
      ['algo-1', 'algo-2'].map((hostname) =>
        emulator().containers.start({ id: `net-sshd-${hostname}`, hostname, agent: 'stand-in' }),
      ),
    );
    try {
      for (const container of containers) await container.startSshd();
      const hostKeys: string[] = [];
      for (const container of containers) {
        assert.match(await python(container, DIAL, '22'), /^connected: SSH-2\.0-OpenSSH/);
        const own = (await container.readFile('/etc/ssh/ssh_host_ed25519_key.pub')).split(' ')[1]!;
        assert.equal(
          (await scannedHostKey(container.sshdPort)).split(' ')[1],
          own,
          `${container.id}'s own host key`,
        );
        hostKeys.push(own);
      }
      assert.notEqual(hostKeys[0], hostKeys[1]);
      // Ports other than sshd's, opened on demand: the same server the container sees on its loopback.
      containers[0]!.spawn([
        'python3',
        '-c',
        'import http.server as h; h.test(h.SimpleHTTPRequestHandler, port=8080, bind="127.0.0.1")',
      ]);
      const webPort = await containers[0]!.hostPortFor(8080);
      assert.equal(await containers[0]!.hostPortFor(8080), webPort);
      await waitForHttp(webPort);
    } finally {
      await Promise.all(containers.map((container) => container.stop()));
    }
  });

  it('works in a sandbox deep in a long TMPDIR (UNIX socket paths have at most 107 bytes)', async () => {
    const parentDir = path.join(await mkdtemp(path.join(tmpdir(), 'containers-net-')), 'x'.repeat(90));
    await mkdir(parentDir);
    const container = await SimulatedContainer.start({
      id: 'net-long-parent-dir-with-a-long-container-id',
      hostname: 'algo-1',
      parentDir,
    });
    try {
      assert.ok(container.sandbox.dir.length > 150, container.sandbox.dir);
      await container.startSshd();
      const scan = await runHostProcess('ssh-keyscan', ['-p', String(container.sshdPort), '127.0.0.1']);
      assert.equal(scan.code, 0, scan.stderr);
      assert.match(scan.stdout, /ssh-ed25519/);
    } finally {
      await container.stop();
      await rm(path.dirname(parentDir), { recursive: true, force: true });
    }
  });

  it("a session for port 22 sent to AWS's agent reaches its own container's sshd (that host key, not the other's)", async () => {
    const nodes = await Promise.all(
      ['algo-1', 'algo-2'].map((hostname) =>
        emulator().containers.startSshNode({
          id: `net-agent-${hostname}`,
          hostname,
          agent: 'aws',
          tags: {
            SSHOwner: OWNER_USER_ID,
            SSHCreator: EXECUTION_ROLE.userId,
            SSHTimestamp: String(Math.floor(Date.now() / 1000)),
            SSHResourceName: 'net-agent',
            SSHResourceArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/net-agent`,
            SSHHost: hostname,
          },
        }),
      ),
    );
    const home = await mkdtemp(path.join(tmpdir(), 'containers-net-'));
    try {
      await emulator().containers.installSessions();
      await runHostProcess('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(home, 'id')]);
      const knownHosts: string[] = [];
      for (const node of nodes) {
        await node.container.writeFile('/etc/ssh/authorized_keys', await readFile(path.join(home, 'id.pub')));
        const hostKey = (await node.container.readFile('/etc/ssh/ssh_host_ed25519_key.pub')).split(' ');
        knownHosts.push(`${node.instanceId} ${hostKey[0]} ${hostKey[1]}`);
      }
      await writeFile(path.join(home, 'known_hosts'), knownHosts.join('\n') + '\n');
      for (const node of nodes) {
        const result = await sshThroughAgent(
          home,
          node.instanceId,
          'hostname; grep ^Port /etc/ssh/sshd_config',
        );
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout, `${node.container.hostname}\nPort 22\n`);
      }
      const relays = emulator().containers.sessions!.relays();
      assert.deepEqual(
        relays.map((relay) => relay.target),
        nodes.map((node) => node.instanceId),
      );
      assert.equal(emulator().containers.sessions!.all().length, 0, 'no fake agent took part');
    } finally {
      await Promise.all(nodes.map((node) => node.container.stop()));
      await rm(home, { recursive: true, force: true });
    }
  });

  it("the fake agent (stand-in containers) dials the session's port on the container's own loopback", async () => {
    const node = await emulator().containers.startSshNode({
      id: 'net-stand-in',
      hostname: 'algo-3',
      agent: 'stand-in',
      tags: {
        SSHOwner: OWNER_USER_ID,
        SSHCreator: EXECUTION_ROLE.userId,
        SSHTimestamp: String(Math.floor(Date.now() / 1000)),
        SSHResourceName: 'net-stand-in',
        SSHResourceArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/net-stand-in`,
        SSHHost: 'algo-3',
      },
    });
    const home = await mkdtemp(path.join(tmpdir(), 'containers-net-'));
    try {
      await emulator().containers.installSessions();
      await runHostProcess('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(home, 'id')]);
      await node.container.writeFile('/etc/ssh/authorized_keys', await readFile(path.join(home, 'id.pub')));
      const hostKey = (await node.container.readFile('/etc/ssh/ssh_host_ed25519_key.pub')).split(' ');
      await writeFile(path.join(home, 'known_hosts'), `${node.instanceId} ${hostKey[0]} ${hostKey[1]}\n`);
      const relaysBefore = emulator().containers.sessions!.relays().length;
      const result = await sshThroughAgent(home, node.instanceId, 'hostname');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'algo-3\n');
      assert.equal(emulator().containers.sessions!.relays().length, relaysBefore, "no relay to AWS's agent");
    } finally {
      await node.container.stop();
      await rm(home, { recursive: true, force: true });
    }
  });

  /** ssh through our client (sm-ssh ssm-proxy), the host key pinned for the instance. */
  function sshThroughAgent(
    home: string,
    instanceId: string,
    command: string,
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn('ssh', sshThroughOurClientArgs(home, instanceId, command), {
      env: isolatedClientEnv(home, emulator().env('developer')),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  }
});

/** Retries a GET of / on the host port until the container's server answers 200 (it may still be starting). */
async function waitForHttp(port: number): Promise<void> {
  await eventually(async () => {
    const response = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
    return response?.status === 200;
  }, "the container's web server through hostPortFor");
}
