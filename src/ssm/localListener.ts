import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { LocalPortUnavailableError } from './sessionErrors';

export async function listenLocal(
  host: string,
  port: number,
  onConnection: (socket: Socket) => void,
): Promise<{ server: Server; port: number }> {
  const server = createServer({ noDelay: true }, onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new LocalPortUnavailableError(host, port, error)));
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}

/** Ends our side and destroys the socket if the peer never closes its side. */
export function closeSocketGracefully(socket: Socket, lingerMs = 30_000): void {
  if (socket.destroyed) return;
  socket.end();
  setTimeout(() => socket.destroy(), lingerMs).unref();
}
