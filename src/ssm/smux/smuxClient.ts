import { EventEmitter } from 'node:events';
import type { Logger } from '../../util/logger';
import type { SmuxFrame } from './smuxFrame';
import { encodeSmuxData, encodeSmuxFrame, SMUX_VERSION, SmuxCommand } from './smuxFrame';
import { SmuxFrameReader } from './smuxFrameReader';
import type { SmuxStreamOwner } from './smuxStream';
import { SmuxStream } from './smuxStream';
import { SmuxProtocolError } from '../sessionErrors';

/** The byte stream smux runs over: here, the Output payloads of an SSM session. */
export interface SmuxTransport {
  write(data: Buffer): boolean;
}

export interface SmuxClientOptions {
  log: Logger;
  /** Send a NOP this often (only when the agent is old enough to expect keepalive); 0 = never. */
  keepaliveIntervalMs: number;
}

interface SmuxClientEvents {
  /** The session stopped (protocol error or `close()`); every stream is closed. */
  close: [reason: string];
}

/**
 * The client side of a smux v1 session: opens streams with odd ids from 3 (like xtaci/smux), frames
 * writes as PSH (split at 32 KiB), FIN on close, NOP keepalive when asked to.
 */
export class SmuxClient extends EventEmitter<SmuxClientEvents> implements SmuxStreamOwner {
  private readonly reader = new SmuxFrameReader();
  private readonly streams = new Map<number, SmuxStream>();
  private nextStreamId = 3;
  private closed = false;
  private keepaliveTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly transport: SmuxTransport,
    private readonly options: SmuxClientOptions,
  ) {
    super();
    if (options.keepaliveIntervalMs > 0) {
      this.keepaliveTimer = setInterval(() => this.sendNop(), options.keepaliveIntervalMs);
      this.keepaliveTimer.unref();
    }
  }

  get openStreamCount(): number {
    return this.streams.size;
  }

  openStream(): SmuxStream {
    if (this.closed) throw new SmuxProtocolError('the session is closed');
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const stream = new SmuxStream(id, this);
    this.streams.set(id, stream);
    this.transport.write(encodeSmuxFrame(SmuxCommand.Syn, id));
    return stream;
  }

  /** Feed the session's received bytes, in order. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    for (const frame of this.reader.push(chunk)) {
      if (this.closed) return;
      this.handleFrame(frame);
    }
  }

  writeStream(streamId: number, data: Buffer): boolean {
    let hasRoom = true;
    for (const frame of encodeSmuxData(streamId, data)) hasRoom = this.transport.write(frame);
    return hasRoom;
  }

  closeStream(streamId: number): void {
    if (!this.streams.delete(streamId) || this.closed) return;
    this.transport.write(encodeSmuxFrame(SmuxCommand.Fin, streamId));
  }

  close(reason = 'closed'): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepaliveTimer);
    const streams = [...this.streams.values()];
    this.streams.clear();
    for (const stream of streams) stream.remoteClosed();
    this.emit('close', reason);
  }

  private sendNop(): void {
    if (!this.closed) this.transport.write(encodeSmuxFrame(SmuxCommand.Nop, 0));
  }

  private handleFrame(frame: SmuxFrame): void {
    if (frame.version !== SMUX_VERSION) {
      const error = new SmuxProtocolError(`frame version ${frame.version}, expected ${SMUX_VERSION}`);
      this.options.log.error(error.message);
      this.close(error.message);
      return;
    }
    switch (frame.command) {
      case SmuxCommand.Psh:
        this.streams.get(frame.streamId)?.receive(frame.data);
        return;
      case SmuxCommand.Fin: {
        const stream = this.streams.get(frame.streamId);
        this.streams.delete(frame.streamId);
        stream?.remoteClosed();
        return;
      }
      case SmuxCommand.Nop:
        return;
      case SmuxCommand.Syn:
        this.options.log.debug(
          `Ignoring a smux SYN for stream ${frame.streamId}: the agent does not open streams.`,
        );
        return;
      default:
        this.options.log.debug(`Ignoring smux command ${frame.command} on stream ${frame.streamId}.`);
    }
  }
}
