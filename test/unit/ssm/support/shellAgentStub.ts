import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { encodeAcknowledgePayload } from '../../../../src/ssm/acknowledgePayload';
import type { DecodedClientMessage } from '../../../../src/ssm/clientMessage';
import {
  decodeClientMessage,
  encodeClientMessage,
  newClientMessage,
} from '../../../../src/ssm/clientMessage';
import type { PayloadTypeValue } from '../../../../src/ssm/protocolConstants';
import { MessageType, PayloadType } from '../../../../src/ssm/protocolConstants';

/**
 * The agent side of one shell session's data channel, scripted by the test: it sends Output
 * (prompts, command output), optionally a handshake, channel_closed; it acknowledges and records
 * every input_stream_data the client sends (keystrokes, Size). Just enough protocol to drive
 * SsmSession's shell mode with exact bytes.
 */
export class ShellAgentStub {
  readonly received: DecodedClientMessage[] = [];
  private socket: WebSocket | undefined;
  private sequence = 0;
  private readonly waiters: (() => void)[] = [];
  private connectedResolve!: () => void;
  readonly connected = new Promise<void>((resolve) => (this.connectedResolve = resolve));
  /** Called with each new input_stream_data message, in arrival order. */
  onInput: ((message: DecodedClientMessage) => void) | undefined;

  private constructor(private readonly server: WebSocketServer) {
    server.on('connection', (socket) => {
      this.socket = socket;
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) {
          this.connectedResolve();
          return;
        }
        this.onFrame(decodeClientMessage(data));
      });
    });
  }

  static async start(): Promise<ShellAgentStub> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return new ShellAgentStub(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/data-channel/s-stub`;
  }

  /** Client messages of one payload type, in sequence order. */
  inputs(payloadType: PayloadTypeValue): DecodedClientMessage[] {
    return this.received.filter((m) => m.payloadType === payloadType);
  }

  /** Resolves once `condition` holds after some client message arrived. */
  async until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  send(payloadType: PayloadTypeValue, payload: Buffer | string): void {
    const message = newClientMessage({
      messageType: MessageType.OutputStreamData,
      payloadType,
      payload: typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload,
      sequenceNumber: this.sequence++,
    });
    this.socket!.send(encodeClientMessage(message));
  }

  closeChannel(output = ''): void {
    const payload = JSON.stringify({
      MessageId: randomUUID(),
      CreatedDate: String(Date.now()),
      SessionId: 's-stub',
      MessageType: MessageType.ChannelClosed,
      SchemaVersion: 1,
      Output: output,
    });
    const message = newClientMessage({
      messageType: MessageType.ChannelClosed,
      payloadType: PayloadType.Unset,
      payload: Buffer.from(payload, 'utf8'),
      flags: 3,
    });
    this.socket!.send(encodeClientMessage(message));
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onFrame(message: DecodedClientMessage): void {
    if (message.messageType === MessageType.InputStreamData) {
      if (!this.received.some((m) => m.sequenceNumber === message.sequenceNumber)) {
        this.received.push(message);
        this.onInput?.(message);
      }
      const ack = newClientMessage({
        messageType: MessageType.Acknowledge,
        payloadType: PayloadType.Unset,
        flags: 3,
        payload: encodeAcknowledgePayload({
          acknowledgedMessageType: message.messageType,
          acknowledgedMessageId: message.messageId,
          acknowledgedSequenceNumber: message.sequenceNumber,
        }),
      });
      this.socket!.send(encodeClientMessage(ack));
    }
    for (const wake of this.waiters.splice(0)) wake();
  }
}
