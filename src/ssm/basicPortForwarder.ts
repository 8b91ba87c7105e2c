import type { Socket } from 'node:net';
import type { Logger } from '../util/logger';
import { DrainGate } from './drainGate';
import { closeSocketGracefully } from './localListener';
import { FlagCode } from './protocolConstants';
import { ReceivePressure } from './receivePressure';
import type { SsmSession } from './ssmSession';

/**
 * Basic port forwarding (agents without smux): one local connection at a time on the raw Output
 * stream. While no connection is active, received data is not acknowledged (the agent resends it).
 * When the local connection closes we send DisconnectToPort and serve the next queued connection.
 */
export class BasicPortForwarder {
  private active: Socket | undefined;
  private readonly queue: Socket[] = [];
  private readonly gate: DrainGate;
  private readonly pressure: ReceivePressure;

  constructor(
    private readonly session: SsmSession,
    private readonly log: Logger,
  ) {
    this.gate = new DrainGate(session);
    this.pressure = new ReceivePressure(() => session.receiverReady());
    session.setReceiver({
      onData: (chunk) => {
        if (this.active) this.pressure.write(this.active, chunk);
      },
      state: () => (this.active === undefined ? 'absent' : this.pressure.isCongested ? 'busy' : 'ready'),
    });
  }

  accept(socket: Socket): void {
    socket.pause();
    socket.on('error', (error) => this.log.debug(`Local connection error: ${error.message}`));
    if (this.active) {
      this.queue.push(socket);
      socket.once('close', () => {
        const index = this.queue.indexOf(socket);
        if (index >= 0) this.queue.splice(index, 1);
      });
      return;
    }
    this.activate(socket);
  }

  closeAll(): void {
    for (const socket of [this.active, ...this.queue]) socket?.destroy();
    this.queue.length = 0;
    this.active = undefined;
  }

  private activate(socket: Socket): void {
    this.active = socket;
    socket.on('data', (chunk: Buffer) => {
      if (!this.session.write(chunk)) this.gate.hold(socket);
    });
    socket.once('close', () => this.release(socket));
    socket.once('end', () => closeSocketGracefully(socket));
    socket.resume();
    this.session.receiverReady();
  }

  private release(socket: Socket): void {
    if (this.active !== socket) return;
    this.gate.forget(socket);
    this.active = undefined;
    this.session.sendFlag(FlagCode.DisconnectToPort);
    const next = this.queue.shift();
    if (next) this.activate(next);
  }
}
