import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { AuthFailure, authenticate } from '../auth/authenticate';
import { accessDeniedMessage, isDenied } from '../auth/identities';
import { sha256Hex } from '../auth/sigv4';
import type { EmulatorState } from '../state';
import {
  CONTROL_CHANNEL_PREFIX,
  parseMessage,
  type AgentToEmulator,
  type CommandFinishedMessage,
  type EmulatorToAgent,
} from './agentProtocol';

/** One agent's open control channel. */
export interface AgentConnection {
  readonly instanceId: string;
  /** The simulated container the agent runs in (from its hello), once it said so. */
  containerId?: string;
  readonly connectedAt: Date;
}

interface HubEvents {
  connected: [connection: AgentConnection];
  disconnected: [instanceId: string];
  commandStarted: [instanceId: string, commandId: string];
  commandFinished: [instanceId: string, result: CommandFinishedMessage];
}

/**
 * The service side of the agents' control channels. Authenticates each channel with SigV4
 * (service `ssmmessages`, the container's role credentials) and the identity deny rules
 * (`ssmmessages:CreateControlChannel` on the managed-instance ARN). An open channel makes the
 * instance Online; a closed one makes it ConnectionLost, as when a real agent stops reporting.
 */
export class AgentHub extends EventEmitter<HubEvents> {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sockets = new Map<string, { socket: WebSocket; connection: AgentConnection }>();

  constructor(private readonly state: EmulatorState) {
    super();
  }

  connection(instanceId: string): AgentConnection | undefined {
    return this.sockets.get(instanceId)?.connection;
  }

  connections(): AgentConnection[] {
    return [...this.sockets.values()].map((entry) => entry.connection);
  }

  /** Sends a message to the instance's agent; false when it has no open channel. */
  send(instanceId: string, message: EmulatorToAgent): boolean {
    const entry = this.sockets.get(instanceId);
    if (!entry || entry.socket.readyState !== WebSocket.OPEN) return false;
    entry.socket.send(JSON.stringify(message));
    return true;
  }

  /** The upgrade handler for `/v1/control-channel/<instance id>`. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = request.url ?? '/';
    const [rawPath, rawQuery = ''] = url.split('?', 2) as [string, string?];
    const instanceId = decodeURIComponent(rawPath.slice(CONTROL_CHANNEL_PREFIX.length));
    const refusal = this.refusal(request, rawPath, rawQuery, instanceId);
    if (refusal) {
      const body = JSON.stringify({ message: refusal.message });
      socket.end(
        `HTTP/1.1 ${refusal.status} ${refusal.status === 404 ? 'Not Found' : 'Forbidden'}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => this.accept(instanceId, ws));
  }

  /** Closes every channel (the instances go ConnectionLost). */
  close(): void {
    for (const { socket } of this.sockets.values()) socket.terminate();
    this.server.close();
  }

  private refusal(
    request: IncomingMessage,
    rawPath: string,
    rawQuery: string,
    instanceId: string,
  ): { status: number; message: string } | undefined {
    const authorization = request.headers.authorization;
    if (!authorization) return { status: 403, message: 'Missing Authentication Token' };
    let identity;
    try {
      identity = authenticate(
        {
          request: {
            method: request.method ?? 'GET',
            rawPath,
            rawQuery,
            rawHeaders: request.rawHeaders,
            payloadHash: String(request.headers['x-amz-content-sha256'] ?? sha256Hex('')),
          },
          authorization,
          securityToken: request.headers['x-amz-security-token'] as string | undefined,
          service: 'ssmmessages',
        },
        {
          identities: this.state.identities,
          region: this.state.region,
          verifySignatures: this.state.options.verifySignatures,
          enforceRegion: this.state.options.enforceRegion,
        },
      );
    } catch (error) {
      if (error instanceof AuthFailure) return { status: 403, message: `${error.kind}: ${error.detail}` };
      throw error;
    }
    const arn = this.state.arns.managedInstance(instanceId);
    if (identity && isDenied(identity, 'ssmmessages:CreateControlChannel', arn)) {
      return { status: 403, message: accessDeniedMessage(identity, 'ssmmessages:CreateControlChannel', arn) };
    }
    if (!this.state.instances.has(instanceId)) {
      return { status: 404, message: `Instance ${instanceId} is not a managed node of this account.` };
    }
    return undefined;
  }

  private accept(instanceId: string, socket: WebSocket): void {
    this.sockets.get(instanceId)?.socket.terminate();
    const connection: AgentConnection = { instanceId, connectedAt: this.state.now() };
    this.sockets.set(instanceId, { socket, connection });
    this.state.instances.setPingStatus(instanceId, 'Online', this.state.now());
    socket.on('message', (data) => this.onMessage(connection, String(data)));
    socket.once('close', () => {
      if (this.sockets.get(instanceId)?.socket !== socket) return;
      this.sockets.delete(instanceId);
      if (this.state.instances.has(instanceId))
        this.state.instances.setPingStatus(instanceId, 'ConnectionLost');
      this.emit('disconnected', instanceId);
    });
    socket.on('error', () => socket.terminate());
  }

  private onMessage(connection: AgentConnection, data: string): void {
    const message = parseMessage<AgentToEmulator>(data, ['hello', 'commandStarted', 'commandFinished']);
    switch (message?.type) {
      case 'hello':
        connection.containerId = message.containerId;
        this.emit('connected', connection);
        return;
      case 'commandStarted':
        this.emit('commandStarted', connection.instanceId, message.commandId);
        return;
      case 'commandFinished':
        this.emit('commandFinished', connection.instanceId, message);
        return;
    }
  }
}
