// Fake agent: an old agent's smux forwarding (< 3.0.196, keepalive issue #83) for test/unit/ssm/portForward.
import type { Socket } from 'node:net';
import { dialTarget, type AgentBridge, type BridgeHost } from './agentBridge';
import { ByteQueue, corkedWrite } from './byteQueue';

const CMD = { SYN: 0, FIN: 1, PSH: 2, NOP: 3 } as const;
const MAX_FRAME_DATA = 32 * 1024;
const SHARED_RECEIVE_LIMIT = 4 * 1024 * 1024;

function smuxFrame(cmd: number, id: number, data?: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = 1;
  header[1] = cmd;
  header.writeUInt16LE(data?.length ?? 0, 2);
  header.writeUInt32LE(id, 4);
  return data ? Buffer.concat([header, data]) : header;
}

interface AgentStream {
  socket?: Socket;
  connected: boolean;
  pending: Buffer[];
  finishedByClient: boolean;
  finSent: boolean;
}

/**
 * Mux mode: the agent's smux v1 server over the Output byte stream. Each SYN dials the target; a
 * failed dial answers ConnectToPortError (Flag 3) and then FIN. Both directions close on either
 * side's FIN/EOF (smux v1 has no half-close).
 */
export class AgentSmuxServer implements AgentBridge {
  /** NOP frames received from the client. */
  nopCount = 0;
  readonly openedStreamIds: number[] = [];
  private readonly input = new ByteQueue();
  private readonly streams = new Map<number, AgentStream>();
  private lastFrameAt = performance.now();
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private highestStreamId = 1;

  constructor(private readonly host: BridgeHost) {
    host.pump.onLow(() => {
      for (const stream of this.streams.values()) stream.socket?.resume();
    });
  }

  get streamCount(): number {
    return this.streams.size;
  }

  start(): void {
    const limit = this.host.behaviour().enforceSmuxKeepaliveMs;
    if (limit === undefined) return;
    this.keepaliveTimer = setInterval(
      () => {
        if (performance.now() - this.lastFrameAt > limit) {
          this.host.endSession('smux keepalive timed out');
        }
      },
      Math.max(10, limit / 4),
    );
  }

  admitOutput(): 'deliver' | 'hold' | 'refuse' {
    if (this.closed) return 'refuse';
    let buffered = 0;
    for (const stream of this.streams.values()) buffered += stream.socket?.writableLength ?? 0;
    return buffered < SHARED_RECEIVE_LIMIT ? 'deliver' : 'hold';
  }

  onClientOutput(data: Buffer): void {
    this.input.push(data);
    while (this.input.length >= 8 && !this.closed) {
      const length = this.input.peek(8).readUInt16LE(2);
      if (this.input.length < 8 + length) return;
      const frame = this.input.take(8 + length);
      const version = frame[0];
      const cmd = frame[1];
      const id = frame.readUInt32LE(4);
      const payload = frame.subarray(8);
      if (version !== 1) {
        this.host.record(`smux frame with version ${version}`);
        this.host.endSession('smux protocol error');
        return;
      }
      this.lastFrameAt = performance.now();
      this.handleFrame(cmd, id, payload);
    }
  }

  onFlag(): void {
    // The agent's mux handler acts only on TerminateSession, which the session handles.
  }

  close(): void {
    this.closed = true;
    clearInterval(this.keepaliveTimer);
    for (const stream of this.streams.values()) stream.socket?.destroy();
    this.streams.clear();
  }

  private handleFrame(cmd: number, id: number, payload: Buffer): void {
    switch (cmd) {
      case CMD.SYN:
        this.open(id);
        return;
      case CMD.PSH: {
        if (payload.length > MAX_FRAME_DATA)
          this.host.record(`smux PSH of ${payload.length} bytes exceeds 32 KiB`);
        const stream = this.streams.get(id);
        if (!stream) return;
        if (stream.connected && stream.socket) corkedWrite(stream.socket, payload);
        else stream.pending.push(payload);
        return;
      }
      case CMD.FIN: {
        const stream = this.streams.get(id);
        if (!stream) return;
        stream.finishedByClient = true;
        this.streams.delete(id);
        if (stream.socket && stream.connected) stream.socket.end();
        else stream.socket?.destroy();
        return;
      }
      case CMD.NOP:
        this.nopCount += 1;
        return;
      default:
        this.host.record(`smux command ${cmd} is not valid in protocol version 1`);
    }
  }

  private open(id: number): void {
    if (id % 2 === 0 || id <= this.highestStreamId) {
      this.host.record(`smux stream id ${id} is not a new odd id (xtaci clients use 3, 5, 7, ...)`);
    }
    this.highestStreamId = Math.max(this.highestStreamId, id);
    this.openedStreamIds.push(id);
    const stream: AgentStream = { connected: false, pending: [], finishedByClient: false, finSent: false };
    this.streams.set(id, stream);
    const endpoint = this.host.endpoint();
    if (!endpoint) {
      this.refuse(id, stream);
      return;
    }
    const socket = dialTarget(endpoint);
    stream.socket = socket;
    socket.once('connect', () => {
      stream.connected = true;
      for (const chunk of stream.pending) socket.write(chunk);
      stream.pending = [];
    });
    socket.on('data', (chunk: Buffer) => {
      for (let offset = 0; offset < chunk.length; offset += MAX_FRAME_DATA) {
        this.host.pump.enqueue(smuxFrame(CMD.PSH, id, chunk.subarray(offset, offset + MAX_FRAME_DATA)));
      }
      if (this.host.pump.isCongested) socket.pause();
    });
    socket.on('error', () => undefined);
    socket.once('close', () => {
      if (!stream.connected) {
        this.refuse(id, stream);
        return;
      }
      this.sendFin(id, stream);
    });
  }

  private refuse(id: number, stream: AgentStream): void {
    if (stream.finSent || this.closed) return;
    this.host.pump.enqueueFlag(3);
    this.sendFin(id, stream);
  }

  private sendFin(id: number, stream: AgentStream): void {
    this.streams.delete(id);
    if (stream.finSent || stream.finishedByClient || this.closed) return;
    stream.finSent = true;
    this.host.pump.enqueue(smuxFrame(CMD.FIN, id));
  }
}
