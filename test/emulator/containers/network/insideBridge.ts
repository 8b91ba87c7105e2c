import { connect, createServer, type Server, type Socket } from 'node:net';
import { PORT_HEADER_BYTES, splice } from './splice';

/**
 * The container's half of its network bridge (see containerNetwork.ts). It runs on the host's Node.js
 * inside the container's network and PID namespaces but the host's mount namespace, in the sandbox's
 * `net/` folder, whose UNIX sockets it names by relative paths:
 *
 *   node insideBridge.js '<InsideBridgeConfig as JSON>'
 *
 * It prints "ready" once every listener is up and exits when its stdin closes (the emulator is gone)
 * or with the container (its PID namespace).
 */
export interface InsideBridgeConfig {
  /** Host loopback ports the container reaches at the same number: 127.0.0.1:`port` here → `socketPath`. */
  readonly toHost: readonly { readonly port: number; readonly socketPath: string }[];
  /** The socket the host dials to reach a container port; each connection starts with a 2-byte port. */
  readonly fromHostSocketPath: string;
}

function listen(server: Server, where: number | string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => {
      server.off('error', reject);
      resolve();
    };
    if (typeof where === 'number') server.listen(where, '127.0.0.1', done);
    else server.listen(where, done);
  });
}

/** 127.0.0.1:<port> in the container → the host's UNIX socket for that port. */
function toHostServer(socketPath: string): Server {
  return createServer({ allowHalfOpen: true }, (client) => {
    client.setNoDelay(true);
    splice(client, connect({ path: socketPath, allowHalfOpen: true }));
  });
}

/** A connection from the host: its first two bytes name the container port to dial on 127.0.0.1. */
function fromHostServer(): Server {
  return createServer({ allowHalfOpen: true }, (fromHost) => {
    let header = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      header = Buffer.concat([header, chunk]);
      if (header.length < PORT_HEADER_BYTES) return;
      fromHost.off('data', onData);
      fromHost.pause();
      const target: Socket = connect({
        host: '127.0.0.1',
        port: header.readUInt16BE(0),
        noDelay: true,
        allowHalfOpen: true,
      });
      const rest = header.subarray(PORT_HEADER_BYTES);
      if (rest.length > 0) target.write(rest);
      splice(fromHost, target);
    };
    fromHost.on('data', onData);
    fromHost.on('error', () => fromHost.destroy());
  });
}

async function main(configText: string | undefined): Promise<void> {
  const config = JSON.parse(configText ?? '') as InsideBridgeConfig;
  await Promise.all([
    ...config.toHost.map(({ port, socketPath }) => listen(toHostServer(socketPath), port)),
    listen(fromHostServer(), config.fromHostSocketPath),
  ]);
  process.stdin.on('data', () => undefined);
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdout.write('ready\n');
}

if (require.main === module) {
  main(process.argv[2]).catch((error: Error) => {
    process.stderr.write(`container network bridge: ${error.message}\n`);
    process.exit(1);
  });
}
