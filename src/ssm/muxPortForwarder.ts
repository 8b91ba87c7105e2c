import type { Socket } from 'node:net';
import type { Logger } from '../util/logger';
import { closeSocketGracefully } from './localListener';
import { FlagCode } from './protocolConstants';
import type { SessionSmux } from './smuxSessionBridge';
import { startSessionSmux } from './smuxSessionBridge';
import type { SsmSession } from './ssmSession';

/** Multiplexed port forwarding: every local connection is its own smux stream. */
export class MuxPortForwarder {
  private readonly smux: SessionSmux;
  private readonly sockets = new Set<Socket>();

  constructor(session: SsmSession, log: Logger, keepaliveIntervalMs?: number) {
    this.smux = startSessionSmux(session, { log, keepaliveIntervalMs });
    session.on('flag', (flag) => {
      if (flag === FlagCode.ConnectToPortError) {
        log.error('Connection to destination port failed, check SSM Agent logs.');
      }
    });
  }

  get activeConnections(): number {
    return this.sockets.size;
  }

  accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => this.sockets.delete(socket));
    this.smux.bridge(socket, socket, () => closeSocketGracefully(socket));
  }

  closeAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
