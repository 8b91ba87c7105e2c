import type { Server, Socket } from 'node:net';
import type { Logger } from '../util/logger';
import { silentLogger } from '../util/logger';
import { BasicPortForwarder } from './basicPortForwarder';
import { listenLocal } from './localListener';
import { MuxPortForwarder } from './muxPortForwarder';
import type { SessionEnd, SsmSession } from './ssmSession';

export interface PortForwardOptions {
  /** Local port; defaults to the handshake's localPortNumber, 0 meaning any free port. */
  localPort?: number;
  /** Bind address; 127.0.0.1 unless the user asks for something else. */
  host?: string;
  log?: Logger;
  /** Receives "Port N opened for sessionId X." (tools parse this line); defaults to log.info. */
  announce?: (line: string) => void;
  smuxKeepaliveIntervalMs?: number;
  /** Told of each accepted local connection before it is forwarded. */
  onConnection?: (socket: Socket) => void;
}

export interface PortForward {
  readonly host: string;
  readonly port: number;
  readonly mode: 'basic' | 'mux';
  /** Resolves when the session has ended and the listener is closed. */
  readonly closed: Promise<SessionEnd>;
  /** Stops listening and ends the session from our side. */
  close(): Promise<SessionEnd>;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Listens locally and forwards each accepted connection through the session (smux or basic). */
export async function startPortForward(
  session: SsmSession,
  options: PortForwardOptions = {},
): Promise<PortForward> {
  const log = options.log ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.localPort ?? Number(session.properties.localPortNumber ?? 0);
  const mode = session.mode === 'mux' ? 'mux' : 'basic';
  const forwarder =
    mode === 'mux'
      ? new MuxPortForwarder(session, log, options.smuxKeepaliveIntervalMs)
      : new BasicPortForwarder(session, log);
  const { server, port } = await listenLocal(
    host,
    Number.isFinite(requestedPort) ? requestedPort : 0,
    (socket) => {
      options.onConnection?.(socket);
      forwarder.accept(socket);
    },
  );
  (options.announce ?? ((line: string) => log.info(line)))(
    `Port ${port} opened for sessionId ${session.sessionId}.`,
  );
  const closed = session.ended.then(async (end) => {
    forwarder.closeAll();
    await closeServer(server);
    return end;
  });
  return {
    host,
    port,
    mode,
    closed,
    close: async () => {
      await session.terminate();
      return closed;
    },
  };
}
