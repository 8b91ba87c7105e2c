import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { RelaySession } from './relaySession';
import type { SessionRegistry } from './sessionRegistry';

const PATH = /^\/v1\/data-channel\/([^/?]+)$/;

function rawQueryParameter(query: string, name: string): string | undefined {
  for (const pair of query.split('&')) {
    const index = pair.indexOf('=');
    if (index > 0 && pair.slice(0, index) === name) return pair.slice(index + 1);
  }
  return undefined;
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The `GET /v1/data-channel/<sessionId>` WebSocket route of the fake service. The query must be the
 * one StartSession issued, byte for byte (cell-number holds '+', '/' and '='), SigV4 headers are
 * accepted and ignored, and the session's agent takes the socket from there.
 */
export class DataChannelRoute {
  private readonly server = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // Each session answers pings itself: a fake agent can be told to stop (a dead path).
    autoPong: false,
    maxPayload: 64 * 1024 * 1024,
  });

  constructor(private readonly registry: SessionRegistry) {}

  /** Returns false when the request is not for this route (so other upgrade handlers can try). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = request.url ?? '';
    const [path, query = ''] = url.split('?', 2);
    const match = PATH.exec(path);
    if (!match) return false;
    const session = this.registry.session(decodeURIComponent(match[1]));
    if (!session) {
      reject(socket, 404, 'Not Found');
      return true;
    }
    const cellNumber = rawQueryParameter(query, 'cell-number');
    if (session instanceof RelaySession && cellNumber === undefined) {
      // The agent's session worker: it dials the bare URL and opens with a CreateDataChannel token.
      this.server.handleUpgrade(request, socket, head, (ws) => session.attachAgentSocket(ws));
      return true;
    }
    if (rawQueryParameter(query, 'role') !== 'publish_subscribe')
      session.record('StreamUrl query lost role=publish_subscribe');
    if (!this.registry.isValidCellNumber(session.sessionId, cellNumber)) {
      session.record('StreamUrl cell-number was altered; the URL must be used verbatim');
      reject(socket, 403, 'Forbidden');
      return true;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => session.attachSocket(ws, request.headers));
    return true;
  }

  close(): void {
    for (const client of this.server.clients) client.terminate();
    this.server.close();
  }
}
