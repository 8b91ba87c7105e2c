import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer } from 'node:net';

export interface LocalServer {
  readonly port: number;
  readonly connections: number;
  close(): Promise<void>;
}

async function listen(server: Server, sockets: Set<Socket>): Promise<LocalServer> {
  let connections = 0;
  server.on('connection', (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Echoes every byte back (an easy target to check both directions at once). */
export function startEchoServer(): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  return listen(
    createServer((socket) => {
      socket.on('error', () => undefined);
      socket.pipe(socket);
    }),
    sockets,
  );
}

/** Sends a greeting and then closes, like a server that talks first and hangs up. */
export function startGreetingServer(greeting: string): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  return listen(
    createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end(greeting);
    }),
    sockets,
  );
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
