import { strict as assert } from 'node:assert';
import type { IncomingMessage, Server, Agent } from 'node:http';
import { createServer, get } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect, createServer as createTcpServer } from 'node:net';
import type { ForwardProcess } from './support/forward-process';
import { startForwardProcess } from './support/forward-process';
import type { TunnelClientName } from './support/tunnel-clients';
import { TUNNEL_CLIENTS } from './support/tunnel-clients';
import type { TunnelWorld } from './support/tunnel-world';
import { startTunnelWorld } from './support/tunnel-world';

const WEB_TARGET = 'mi-0aaaaaaaaaaaaaaa1';
const WEB_PORT = 8080;
const REFUSED_PORT = 9090;

function fetchText(
  port: number,
  path: string,
  agent: Agent | false = false,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path, agent }, (response: IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
}

function rawRequest(socket: Socket, path: string): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const headerEnd = text.indexOf('\r\n\r\n');
      const length = /^content-length: (\d+)$/im.exec(text.slice(0, headerEnd));
      if (headerEnd >= 0 && length && text.length >= headerEnd + 4 + Number(length[1])) {
        socket.off('data', onData);
        resolve(text.slice(headerEnd + 4));
      }
    };
    socket.on('data', onData);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n`);
  });
}

function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * AWS's plugin 1.2.677.0 sends on its data channel from several goroutines (the mux writer, the handshake
 * response, flags) without a lock on the sequence counter (`src/datachannel/streaming.go`,
 * `SendInputDataMessage`), so two messages can go out under one sequence number with different content: the
 * fake agent's strict mode reports it, and the damaged bytes reach the web server. Data arriving while the
 * session starts, as many connections at once make it, is what loses that race. It is AWS's bug
 * (aws/session-manager-plugin PR #105, "Fix data channel data races", unmerged); with AWS's plugin the
 * concurrent-connection tests are skipped and say why.
 */
const RACES_ON_CONCURRENT_CONNECTIONS: readonly TunnelClientName[] = ['sm-ssh --use-plugin', 'aws + plugin'];

for (const client of TUNNEL_CLIENTS) describePortForwarding(client);

function describePortForwarding(client: TunnelClientName): void {
  describe(`e2e: port forwarding with ${client} (smux through the fake agent)`, function () {
    this.timeout(120_000);
    let web: Server;
    let refusedPort: number;
    let world: TunnelWorld;

    before(async () => {
      web = createServer((request, response) => {
        const body = `you asked for ${request.url}`;
        response.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
        response.end(body);
      });
      web.keepAliveTimeout = 60_000;
      await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
      const probe = createTcpServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      refusedPort = (probe.address() as AddressInfo).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      world = await startTunnelWorld({
        client,
        extraTargets: {
          [WEB_TARGET]: { [WEB_PORT]: (web.address() as AddressInfo).port, [REFUSED_PORT]: refusedPort },
        },
      });
    });

    after(async () => {
      await world?.close();
      web?.closeAllConnections();
      await new Promise<void>((resolve) => (web ? web.close(() => resolve()) : resolve()));
    });

    afterEach(() => assert.deepEqual(world.sessions.violations(), []));

    async function forward(remotePort: number): Promise<ForwardProcess> {
      return startForwardProcess(world.client.forward(WEB_TARGET, remotePort), world.client.env);
    }

    it('answers 50 concurrent HTTP requests through one multiplexed session', async function () {
      if (RACES_ON_CONCURRENT_CONNECTIONS.includes(client)) this.skip();
      const tunnel = await forward(WEB_PORT);
      try {
        const responses = await Promise.all(
          Array.from({ length: 50 }, (_, i) => fetchText(tunnel.port, `/item/${i}`)),
        );
        responses.forEach((response, i) => {
          assert.equal(response.status, 200);
          assert.equal(response.body, `you asked for /item/${i}`);
        });
        const session = world.sessions.all().at(-1)!;
        assert.equal(session.document.name, 'AWS-StartPortForwardingSession');
        assert.equal(session.properties.type, 'LocalPortForwarding');
      } finally {
        assert.equal(await tunnel.stop(), 0);
      }
    });

    it('keeps other connections working when one closes', async function () {
      if (RACES_ON_CONCURRENT_CONNECTIONS.includes(client)) this.skip();
      const tunnel = await forward(WEB_PORT);
      try {
        const [first, second] = await Promise.all([dial(tunnel.port), dial(tunnel.port)]);
        assert.equal(await rawRequest(first, '/a'), 'you asked for /a');
        assert.equal(await rawRequest(second, '/b'), 'you asked for /b');
        first.destroy();
        assert.equal(await rawRequest(second, '/c'), 'you asked for /c');
        const fresh = await fetchText(tunnel.port, '/d');
        assert.equal(fresh.body, 'you asked for /d');
        second.destroy();
      } finally {
        await tunnel.stop();
      }
    });

    it('reports a refused target port clearly and keeps listening', async () => {
      const tunnel = await forward(REFUSED_PORT);
      try {
        for (let attempt = 0; attempt < 2; attempt += 1) {
          await assert.rejects(fetchText(tunnel.port, '/'), /socket hang up|ECONNRESET/);
        }
        assert.match(tunnel.stderr(), /Connection to destination port failed, check SSM Agent logs\./);
        assert.equal(tunnel.child.exitCode, null, 'the forwarder is still running');
      } finally {
        await tunnel.stop();
      }
    });

    it('terminates the session when stopped', async () => {
      const tunnel = await forward(WEB_PORT);
      const session = world.sessions.all().at(-1)!;
      assert.equal((await fetchText(tunnel.port, '/x')).status, 200);
      assert.equal(await tunnel.stop(), 0);
      await session.whenClosed();
      assert.deepEqual(session.flagsReceived, [2], 'the client sent TerminateSession');
    });
  });
}
