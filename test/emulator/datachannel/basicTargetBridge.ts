// Fake agent: basic port sessions and an old agent's reconnecting mode, for unit tests and stand-ins.
import type { Socket } from 'node:net';
import { dialTarget, targetName, type AgentBridge, type BridgeHost } from './agentBridge';
import { corkedWrite } from './byteQueue';

/** Unwritten target bytes above which client Output is no longer acknowledged. */
const WRITE_CONGESTION_BYTES = 1024 * 1024;

/**
 * Basic mode: one raw TCP connection to the target. The `sshd` flavour (documents without `type`)
 * ends the session on target EOF; the `reconnecting` flavour (LocalPortForwarding with an old
 * client) closes the target on DisconnectToPort or target EOF and redials on the next Output.
 */
export class BasicTargetBridge implements AgentBridge {
  private socket: Socket | undefined;
  private connected = false;
  private dialing = false;
  private closed = false;
  private writeCongested = false;

  constructor(
    private readonly host: BridgeHost,
    private readonly flavour: 'sshd' | 'reconnecting',
  ) {
    host.pump.onLow(() => this.socket?.resume());
  }

  start(): void {
    this.dial(true);
  }

  admitOutput(): 'deliver' | 'hold' | 'refuse' {
    if (this.closed) return 'refuse';
    if (!this.socket && this.flavour === 'reconnecting') this.dial(false);
    if (!this.connected) return 'refuse';
    return this.writeCongested ? 'hold' : 'deliver';
  }

  onClientOutput(data: Buffer): void {
    const socket = this.socket;
    if (!socket || !this.connected) return;
    corkedWrite(socket, data);
    if (socket.writableLength > WRITE_CONGESTION_BYTES && !this.writeCongested) {
      this.writeCongested = true;
      socket.once('drain', () => {
        this.writeCongested = false;
        this.host.deliverBuffered();
      });
    }
  }

  onFlag(code: number): void {
    if (code === 1 && this.flavour === 'reconnecting') this.dropTarget();
  }

  close(): void {
    this.closed = true;
    this.socket?.destroy();
    this.socket = undefined;
  }

  private dial(failSessionOnError: boolean): void {
    if (this.dialing || this.closed) return;
    const endpoint = this.host.endpoint();
    if (!endpoint) {
      if (failSessionOnError)
        this.host.endSession('Unable to start port session: the destination refused the connection.');
      return;
    }
    this.dialing = true;
    const socket = dialTarget(endpoint);
    this.socket = socket;
    socket.once('connect', () => {
      this.dialing = false;
      this.connected = true;
      this.host.deliverBuffered();
    });
    socket.on('data', (chunk: Buffer) => {
      this.host.pump.enqueue(chunk);
      if (this.host.pump.isCongested) socket.pause();
    });
    socket.once('error', (error) => {
      if (!this.connected && failSessionOnError) {
        this.host.endSession(
          `Unable to start port session: connection to ${targetName(endpoint)} failed: ${error.message}`,
        );
      }
    });
    socket.once('close', () => this.onTargetClosed(socket));
  }

  private onTargetClosed(socket: Socket): void {
    if (this.socket !== socket) return;
    const wasConnected = this.connected;
    this.socket = undefined;
    this.connected = false;
    this.dialing = false;
    if (this.closed) return;
    if (this.flavour === 'sshd' && wasConnected) this.host.endSession('');
  }

  private dropTarget(): void {
    const socket = this.socket;
    this.socket = undefined;
    this.connected = false;
    this.dialing = false;
    socket?.destroy();
  }
}
