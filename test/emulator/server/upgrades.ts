import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** Handles an HTTP upgrade (WebSocket) request; owns the socket from then on. */
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Routes `upgrade` requests by path prefix (longest match wins); unmatched upgrades get a 404.
 * Remembers the sockets it handed out so that closing the emulator also drops open WebSockets.
 */
export class UpgradeRouter {
  private readonly routes: { prefix: string; handler: UpgradeHandler }[] = [];
  private readonly sockets = new Set<Duplex>();

  add(pathPrefix: string, handler: UpgradeHandler): void {
    if (!pathPrefix.startsWith('/'))
      throw new Error(`Upgrade path prefix must start with '/': ${pathPrefix}`);
    if (this.routes.some((route) => route.prefix === pathPrefix)) {
      throw new Error(`An upgrade handler for ${pathPrefix} is already registered`);
    }
    this.routes.push({ prefix: pathPrefix, handler });
    this.routes.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  handle(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (request.url ?? '/').split('?')[0]!;
    const route = this.routes.find((candidate) => path.startsWith(candidate.prefix));
    if (route) {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      route.handler(request, socket, head);
      return;
    }
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  }

  /** Destroys every upgraded socket that is still open. */
  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
