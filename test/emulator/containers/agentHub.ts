import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { AuthFailure, authenticate } from '../auth/authenticate';
import { accessDeniedMessage, isDenied } from '../auth/identities';
import { sha256Hex } from '../auth/sigv4';
import { readWireFields, type WireFields } from '../datachannel/agentWire';
import { replyMgsError, replyMgsToken } from '../server/mgsReplies';
import { agentJobFrame, readJobAck, readJobReply, taskCompleteAck } from './mgsJobs';
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
  /** The simulated container the agent runs in (from its hello, or found by its registration). */
  containerId?: string;
  readonly connectedAt: Date;
  /** `mgs`: AWS's amazon-ssm-agent (binary AgentMessages); `stand-in`: the emulator's JSON agent. */
  kind?: 'mgs' | 'stand-in';
  /** What the real agent said in its first frame (OpenControlChannel). */
  agentVersion?: string;
}

interface HubEvents {
  connected: [connection: AgentConnection];
  disconnected: [instanceId: string];
  commandStarted: [instanceId: string, commandId: string];
  /** AWS's agent took a job (`agent_job_ack`); until then the service sends it again. */
  commandAccepted: [instanceId: string, commandId: string];
  commandFinished: [instanceId: string, result: CommandFinishedMessage];
  /** CreateControlChannel was refused (denied, unknown instance, bad signature). */
  refused: [instanceId: string, status: number, message: string];
  /** A binary AgentMessage from a real agent's control channel. */
  agentMessage: [instanceId: string, message: WireFields];
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
  /** Tokens handed out by CreateControlChannel, per instance; the socket's first frame must carry one. */
  private readonly tokens = new Map<string, Set<string>>();

  constructor(
    private readonly state: EmulatorState,
    /** Finds the simulated container that registered an instance (for agents that do not say). */
    private readonly containerOf: (instanceId: string) => string | undefined = () => undefined,
  ) {
    super();
  }

  /** Sends a binary frame (an AgentMessage) on a real agent's control channel; false when none is open. */
  sendBinary(instanceId: string, frame: Buffer): boolean {
    const entry = this.sockets.get(instanceId);
    if (!entry || entry.socket.readyState !== WebSocket.OPEN || entry.connection.kind !== 'mgs') return false;
    entry.socket.send(frame, { binary: true });
    return true;
  }

  /**
   * `POST /v1/control-channel/<instance id>` (CreateControlChannel, SigV4 for ssmmessages), as the
   * real agent calls it before it opens the socket: HTTP 201 with an XML body holding the token.
   */
  handleCreate(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = request.url ?? '/';
      const [rawPath, rawQuery = ''] = url.split('?', 2) as [string, string?];
      const instanceId = decodeURIComponent(rawPath.slice(CONTROL_CHANNEL_PREFIX.length));
      const refusal =
        request.method === 'POST'
          ? this.refusal(request, rawPath, rawQuery, instanceId, sha256Hex(body))
          : { status: 405, message: 'Use POST to create a control channel' };
      if (refusal) {
        this.emit('refused', instanceId, refusal.status, refusal.message);
        replyMgsError(response, refusal.status, refusal.message);
        return;
      }
      const token = randomBytes(32).toString('base64url');
      const issued = this.tokens.get(instanceId) ?? new Set<string>();
      issued.add(token);
      this.tokens.set(instanceId, issued);
      replyMgsToken(response, 'CreateControlChannel', token);
    });
  }

  connection(instanceId: string): AgentConnection | undefined {
    return this.sockets.get(instanceId)?.connection;
  }

  connections(): AgentConnection[] {
    return [...this.sockets.values()].map((entry) => entry.connection);
  }

  /**
   * Fault injection: this many of the next run-command jobs are lost on the way (as when AWS's agent
   * drops a job it got before its document worker was up); send() still reports them sent.
   */
  lostJobs = 0;

  /**
   * Sends a message to the instance's agent; false when it has no open channel, or one whose agent
   * has not said yet which it is (the 'connected' event then delivers what waits). AWS's agent would
   * take the stand-in's JSON for a binary message and crash its control-channel reader.
   */
  send(instanceId: string, message: EmulatorToAgent): boolean {
    const entry = this.sockets.get(instanceId);
    if (!entry || entry.socket.readyState !== WebSocket.OPEN || entry.connection.kind === undefined)
      return false;
    if (message.type === 'runCommand' && this.lostJobs > 0) {
      this.lostJobs -= 1;
      return true;
    }
    if (entry.connection.kind === 'mgs') {
      entry.socket.send(agentJobFrame(message, instanceId, this.state.region), { binary: true });
    } else {
      entry.socket.send(JSON.stringify(message));
    }
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
    payloadHash = String(request.headers['x-amz-content-sha256'] ?? sha256Hex('')),
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
            payloadHash,
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
    socket.on('message', (data, isBinary) => {
      const frame = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
      if (connection.kind === undefined) this.onFirstFrame(connection, frame, socket);
      else if (connection.kind === 'mgs') this.onAgentMessage(connection, frame, isBinary);
      else this.onMessage(connection, frame.toString('utf8'));
    });
    socket.once('close', () => {
      if (this.sockets.get(instanceId)?.socket !== socket) return;
      this.sockets.delete(instanceId);
      if (this.state.instances.has(instanceId))
        this.state.instances.setPingStatus(instanceId, 'ConnectionLost');
      this.emit('disconnected', instanceId);
    });
    socket.on('error', () => socket.terminate());
  }

  /** The stand-in opens with a JSON `hello`; AWS's agent with OpenControlChannel (its token). */
  private onFirstFrame(connection: AgentConnection, frame: Buffer, socket: WebSocket): void {
    let first: Record<string, unknown> | undefined;
    try {
      first = JSON.parse(frame.toString('utf8')) as Record<string, unknown>;
    } catch {
      first = undefined;
    }
    if (first && typeof first.TokenValue === 'string') {
      const issued = this.tokens.get(connection.instanceId);
      if (!issued?.delete(first.TokenValue)) {
        socket.close(1008, 'The control channel token is not valid for this instance');
        return;
      }
      connection.kind = 'mgs';
      connection.agentVersion = typeof first.AgentVersion === 'string' ? first.AgentVersion : undefined;
      connection.containerId = this.containerOf(connection.instanceId);
      this.emit('connected', connection);
      return;
    }
    connection.kind = 'stand-in';
    this.onMessage(connection, frame.toString('utf8'));
  }

  private onAgentMessage(connection: AgentConnection, frame: Buffer, isBinary: boolean): void {
    const message = isBinary ? readWireFields(frame) : undefined;
    if (!message) return;
    this.emit('agentMessage', connection.instanceId, message);
    if (message.messageType === 'agent_task_complete') {
      const ack = taskCompleteAck(message);
      if (ack) this.sendBinary(connection.instanceId, ack);
      return;
    }
    const accepted = readJobAck(message);
    if (accepted !== undefined) {
      this.emit('commandAccepted', connection.instanceId, accepted);
      return;
    }
    if (message.messageType !== 'agent_job_reply') return;
    const read = readJobReply(message);
    if (!read) return;
    this.sendBinary(connection.instanceId, read.ack);
    if (read.reply.kind === 'started')
      this.emit('commandStarted', connection.instanceId, read.reply.commandId);
    if (read.reply.kind === 'finished')
      this.emit('commandFinished', connection.instanceId, read.reply.result);
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
