import type { Socket } from 'node:net';
import type { Logger } from '../util/logger';
import { closeSocketGracefully } from './local-listener';
import { FlagCode } from './protocol-constants';
import type { SessionSmux } from './smux-session-bridge';
import { startSessionSmux } from './smux-session-bridge';
import type { SsmSession } from './ssm-session';

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
