import { strict as assert } from 'node:assert';
import { createServer, connect as netConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { shallowNetConnection, shallowTlsConnection } from '../../../src/ssm/shallowReadSocket';
import { makeThrowawayTls, type ThrowawayTls } from '../../emulator/server/tls';
import { eventually } from '../../support/wait';

const CHUNK = Buffer.alloc(1148, 0x61);
const LATER_CHUNKS = 20;
/** Node's default high-water mark for a socket's reads (16 KiB in Node 20, 64 KiB from Node 22). */
const DEFAULT_READ_BUFFER = 16 * 1024;

/** A server on 127.0.0.1 whose one connection (`event`: its TLS one for a TLS server) the test writes to. */
async function listen(
  server: Server,
  event: 'connection' | 'secureConnection' = 'connection',
): Promise<{ port: number; peer: Promise<Socket> }> {
  const peer = new Promise<Socket>((resolve) => server.once(event, resolve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, peer };
}

function write(socket: Socket, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.write(chunk, (error) => (error ? reject(error) : resolve())),
  );
}

/**
 * The client pauses, the server writes one chunk and the client reads it into its buffer; then the
 * server writes twenty more. Returns what the paused client had buffered after that (what it read from
 * the kernel) and how many reads it took to take everything once resumed.
 */
async function pauseThenWrite(
  client: Socket,
  peer: Promise<Socket>,
  settled: () => Promise<void>,
): Promise<{ bufferedWhilePaused: number; readsAfterResume: number }> {
  const server = await peer;
  client.pause();
  await write(server, CHUNK);
  await eventually(() => client.readableLength > 0, 'the first chunk read while paused');
  for (let i = 0; i < LATER_CHUNKS; i += 1) await write(server, CHUNK);
  await settled();
  const bufferedWhilePaused = client.readableLength;
  let received = 0;
  let reads = 0;
  client.on('data', (chunk: Buffer) => {
    received += chunk.length;
    reads += 1;
  });
  client.resume();
  const total = (LATER_CHUNKS + 1) * CHUNK.length;
  await eventually(() => received === total, 'every chunk written during the pause');
  return { bufferedWhilePaused, readsAfterResume: reads };
}

/** Turns of the event loop in which a socket that reads while paused would read what was written. */
function someTurns(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}

function connected(socket: Socket, event: 'connect' | 'secureConnect'): Promise<Socket> {
  return new Promise((resolve, reject) => socket.once(event, () => resolve(socket)).once('error', reject));
}

describe('shallow-read sockets (what a read hold leaves in the kernel)', () => {
  let tls: ThrowawayTls;
  const servers: Server[] = [];
  const clients: Socket[] = [];

  before(async () => {
    tls = await makeThrowawayTls();
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  function serve<T extends Server>(server: T): T {
    servers.push(server);
    server.on('connection', (socket: Socket) => clients.push(socket));
    return server;
  }

  it('a default socket keeps reading while paused (why the shallow one exists)', async () => {
    const { port, peer } = await listen(serve(createServer()));
    const client = await connected(netConnect({ host: '127.0.0.1', port }), 'connect');
    clients.push(client);
    const { bufferedWhilePaused } = await pauseThenWrite(client, peer, async () => {
      await eventually(() => client.readableLength >= DEFAULT_READ_BUFFER, 'a full read buffer');
    });
    assert.ok(bufferedWhilePaused >= DEFAULT_READ_BUFFER, `${bufferedWhilePaused} bytes read while paused`);
  });

  it('ws: URL: a paused socket reads one chunk, the rest comes in a few reads on resume', async () => {
    const { port, peer } = await listen(serve(createServer()));
    // ws passes the request's options, whose path is the URL's: it must not be taken for a Unix socket.
    const client = await connected(
      shallowNetConnection({ host: '127.0.0.1', port, path: '/v1/data-channel/s-1' }),
      'connect',
    );
    clients.push(client);
    const { bufferedWhilePaused, readsAfterResume } = await pauseThenWrite(client, peer, someTurns);
    assert.equal(bufferedWhilePaused, CHUNK.length, 'nothing read after the first chunk');
    assert.ok(readsAfterResume <= 4, `${readsAfterResume} reads after the pause, for ${LATER_CHUNKS} chunks`);
  });

  it('wss: URL: a TLS socket with the same read buffer, verifying the server certificate (no SNI for an IP address)', async () => {
    let sni: string | false | null | undefined;
    const listener = serve(
      createTlsServer({ cert: tls.certPem, key: tls.keyPem }, (socket) => {
        sni = socket.servername;
      }),
    );
    const { port, peer } = await listen(listener, 'secureConnection');
    const client = await connected(
      shallowTlsConnection({ host: '127.0.0.1', port, path: '/v1/data-channel/s-1', ca: tls.caPem }),
      'secureConnect',
    );
    clients.push(client);
    // Node's TLS layer holds a few records back before it pushes, so only the connection and the data
    // are checked here; the read buffer itself is the one the ws: case tests.
    const server = await peer;
    client.pause();
    for (let i = 0; i < LATER_CHUNKS; i += 1) await write(server, CHUNK);
    let received = 0;
    client.on('data', (chunk: Buffer) => (received += chunk.length));
    client.resume();
    assert.equal(sni, false);
    assert.equal(client.readableHighWaterMark, 1);
    await eventually(() => received === LATER_CHUNKS * CHUNK.length, 'every chunk after the pause');
  });
});
