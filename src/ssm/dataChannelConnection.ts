import type { IncomingMessage } from 'node:http';
import type { createConnection, Socket } from 'node:net';
import WebSocket from 'ws';
import type { Logger } from '../util/logger';
import type { Clock } from './clock';
import { newMessageId } from './messageId';
import { ServerFrameReader } from './serverFrameReader';
import { sharedHoldTicks } from './sharedHoldTicks';
import { shallowNetConnection, shallowTlsConnection } from './shallowReadSocket';
import { WebSocketFrameBatch } from './websocketFrameBatch';
import { maskGeneratorFor } from './websocketMask';
import { DataChannelUpgradeError } from './sessionErrors';

/** Like systemClock, but its timers keep the process alive. */
const referencedClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => ({ id: setTimeout(callback, delayMs) }),
  clearTimeout: (handle) => clearTimeout(handle.id as NodeJS.Timeout),
  setImmediate: (callback) => {
    setImmediate(callback);
  },
};

export interface DataChannelConnectOptions {
  url: string;
  tokenValue: string;
  clientId: string;
  clientVersion: string;
  /** Extra upgrade headers, e.g. a SigV4 signature. */
  headers?: Record<string, string>;
  onFrame: (frame: Buffer) => void;
  log: Logger;
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  /** Consecutive unanswered pings after which the connection counts as dead. */
  maxMissedPongs: number;
  /**
   * After a small read (under COALESCED_READ_BYTES), stop reading for this long so the next read
   * takes what arrived meanwhile in one go (0: read as data arrives). The agent sends one 1 KiB
   * message about every millisecond per session; read one by one, each is a wake-up and a read.
   */
  readCoalesceMs?: number;
  /**
   * Hold only when a small read follows the previous read within readCoalesceMs (the agent is
   * streaming): interactive bytes after a pause go through at once.
   */
  readCoalesceWhileStreaming?: boolean;
  /**
   * Once the agent has streamed for readCoalesceSustainedAfterMs without a pause, holds last this
   * long instead, give or take an eighth: they end on a grid shared by every connection on the clock
   * (0: never longer); a pause brings back the short hold.
   */
  readCoalesceSustainedMs?: number;
  readCoalesceSustainedAfterMs?: number;
  /**
   * Asked before each hold: false while what arrives is what we wait for (acks of an upload, whose
   * window they free), so only a receiving session is read in batches. Default: always hold.
   */
  mayHoldReads?: () => boolean;
  /**
   * Asked before a long hold (readCoalesceSustainedMs): false while we send more than requests (an
   * upload), whose acks we must not keep waiting that long. Default: always.
   */
  mayHoldReadsLong?: () => boolean;
  /**
   * Runs the readCoalesceMs timer (a test drives it). By default the timer is a plain, referenced
   * one: while reads are paused it may be all that keeps the process alive.
   */
  clock?: Clock;
}

export type ConnectionEndReason = 'peer-closed' | 'socket-error' | 'keepalive-timeout' | 'local-close';

export interface ConnectionEnd {
  reason: ConnectionEndReason;
  code?: number;
  detail: string;
}

/** One WebSocket to the Session Manager service carrying binary ClientMessages. */
export interface DataChannelConnection {
  send(frame: Buffer): void;
  /** Closes without waiting for the peer (sends a close frame if the socket is still open). */
  close(): void;
  readonly ended: Promise<ConnectionEnd>;
  /** Bytes queued in the socket but not yet written. */
  readonly bufferedAmount: number;
  /** True while reads are held back after a small one (readCoalesceMs). */
  readonly isHoldingReads: boolean;
}

function openDataChannelFrame(options: DataChannelConnectOptions): string {
  return JSON.stringify({
    MessageSchemaVersion: '1.0',
    RequestId: newMessageId(),
    TokenValue: options.tokenValue,
    ClientId: options.clientId,
    ClientVersion: options.clientVersion,
  });
}

const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
/** A read at least this large means data is flowing faster than the pause would batch it. */
const COALESCED_READ_BYTES = 32 * 1024;
/**
 * Long holds end on a grid of this many steps per hold, shared by every connection of the process
 * (sharedHoldTicks.ts): a hold lasts readCoalesceSustainedMs give or take half a step.
 */
const LONG_HOLD_GRID_STEPS = 4;

function rawSocketOf(socket: WebSocket): Socket | undefined {
  return (socket as unknown as { _socket?: Socket })._socket;
}

class WebSocketDataChannel implements DataChannelConnection {
  readonly ended: Promise<ConnectionEnd>;
  private resolveEnded!: (end: ConnectionEnd) => void;
  private endReason: ConnectionEnd | undefined;
  private missedPongs = 0;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private readonly outgoing: WebSocketFrameBatch;
  private flushScheduled = false;
  /** Ends the current read hold early (the connection finished); undefined while not holding. */
  private cancelReadHold: (() => void) | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: DataChannelConnectOptions,
  ) {
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    this.outgoing = new WebSocketFrameBatch(maskGeneratorFor(options.url));
    // Constructed on 'open', when ws has its socket.
    this.readFramesFrom(rawSocketOf(socket)!);
    socket.on('close', (code, reason) =>
      this.finish({ reason: 'peer-closed', code, detail: reason.toString() }),
    );
    socket.on('error', (error) => this.finish({ reason: 'socket-error', detail: error.message }));
    this.startKeepalive();
    if ((options.readCoalesceMs ?? 0) > 0) this.coalesceReads(options.readCoalesceMs!);
  }

  /**
   * Takes the socket's reads from `ws` (which keeps the upgrade, pings it sends and closing): frames
   * go through ServerFrameReader, which hands each message on without copying it.
   */
  private readFramesFrom(raw: Socket): void {
    const reader = new ServerFrameReader(
      {
        // The rest of a read is still parsed after the connection ended; none of it is delivered.
        message: (data) => {
          if (!this.endReason) this.options.onFrame(data);
        },
        ping: (payload) => {
          // Our queued frames first, as for our own pings: frames keep their order.
          this.flush();
          if (this.socket.readyState === WebSocket.OPEN) this.socket.pong(payload);
        },
        pong: () => (this.missedPongs = 0),
        close: (code, reason) => this.finish({ reason: 'peer-closed', code, detail: reason }),
        protocolError: (detail) =>
          this.finish({ reason: 'socket-error', detail: `WebSocket protocol error: ${detail}` }),
      },
      MAX_PAYLOAD_BYTES,
    );
    // ws's own reader is the only 'data' listener at 'open'; the upgrade's leftover bytes are put back
    // into the socket and come to ours.
    raw.removeAllListeners('data');
    raw.on('data', (chunk: Buffer) => reader.push(chunk));
  }

  /** True while reads are held back after a small one (readCoalesceMs). */
  get isHoldingReads(): boolean {
    return this.cancelReadHold !== undefined;
  }

  /** ws's own pause/resume, so its backpressure (it pauses while its parser is behind) still holds. */
  private coalesceReads(delayMs: number): void {
    const clock = this.options.clock ?? referencedClock;
    const whileStreaming = this.options.readCoalesceWhileStreaming === true;
    const sustainedMs = this.options.readCoalesceSustainedMs ?? 0;
    const sustainedAfterMs = this.options.readCoalesceSustainedAfterMs ?? 0;
    let lastReadAt = Number.NEGATIVE_INFINITY;
    let streamStartedAt = Number.NEGATIVE_INFINITY;
    let resumedThisTurn = false;
    const raw = rawSocketOf(this.socket);
    raw?.on('data', (chunk: Buffer) => {
      const now = clock.now();
      const streaming = now - lastReadAt <= delayMs;
      if (!streaming) streamStartedAt = now;
      lastReadAt = now;
      if (chunk.length >= COALESCED_READ_BYTES || this.cancelReadHold || this.endReason) return;
      // What a hold left behind is this batch: a chunk or a few TLS records in the socket's buffer, the
      // rest in the kernel until this turn's poll (shallowReadSocket). Holding again before it is all
      // through would deliver one chunk per hold.
      if (resumedThisTurn || raw.readableLength > 0) return;
      if (whileStreaming && !streaming) return;
      if (this.options.mayHoldReads && !this.options.mayHoldReads()) return;
      const sustained =
        sustainedMs > delayMs &&
        now - streamStartedAt >= sustainedAfterMs &&
        (this.options.mayHoldReadsLong?.() ?? true);
      this.socket.pause();
      const endHold = (): void => {
        this.cancelReadHold = undefined;
        // The read that follows a hold still counts as streaming: it is the hold that spaced it.
        lastReadAt = clock.now();
        if (this.endReason) return;
        resumedThisTurn = true;
        this.socket.resume();
        // The event loop's own turn, whatever clock runs the holds: immediates run after its poll.
        setImmediate(() => (resumedThisTurn = false));
      };
      if (sustained) {
        this.cancelReadHold = sharedHoldTicks(clock, sustainedMs / LONG_HOLD_GRID_STEPS).after(
          sustainedMs,
          endHold,
        );
      } else {
        const timer = clock.setTimeout(endHold, delayMs);
        this.cancelReadHold = () => clock.clearTimeout(timer);
      }
    });
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount + this.outgoing.pendingBytes;
  }

  /**
   * Frames sent in one turn of the event loop (the acks of every read in it, the requests they
   * caused) leave in one socket write, after the turn's I/O callbacks.
   */
  send(frame: Buffer): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.outgoing.append(frame);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * At the end of the turn, and before anything `ws` writes itself (pings, the close frame), so
   * frames keep their order.
   */
  private flush(): void {
    this.flushScheduled = false;
    if (this.outgoing.pendingBytes === 0) return;
    const raw = rawSocketOf(this.socket);
    if (this.socket.readyState !== WebSocket.OPEN || !raw || raw.destroyed) {
      this.outgoing.clear();
      return;
    }
    this.outgoing.flush(raw);
  }

  close(): void {
    this.finish({ reason: 'local-close', detail: 'closed by this client' });
  }

  private startKeepalive(): void {
    this.ping();
    this.keepaliveTimer = setInterval(() => {
      if (this.missedPongs >= this.options.maxMissedPongs) {
        this.finish({
          reason: 'keepalive-timeout',
          detail: `no answer to ${this.missedPongs} WebSocket pings`,
        });
        return;
      }
      this.ping();
    }, this.options.keepaliveIntervalMs);
    this.keepaliveTimer.unref();
  }

  private ping(): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.flush();
    this.missedPongs += 1;
    this.socket.ping('keepalive');
  }

  /** First cause wins; the socket is torn down so no further frames arrive. */
  private finish(end: ConnectionEnd): void {
    if (this.endReason) return;
    this.endReason = end;
    clearInterval(this.keepaliveTimer);
    this.cancelReadHold?.();
    this.cancelReadHold = undefined;
    this.socket.removeAllListeners('message');
    this.socket.on('error', () => undefined);
    if (end.reason === 'local-close' && this.socket.readyState === WebSocket.OPEN) {
      this.flush();
      this.socket.close(1000);
      setTimeout(() => this.socket.terminate(), 1000).unref();
    } else {
      this.socket.terminate();
    }
    this.outgoing.clear();
    this.options.log.debug(
      `Data channel WebSocket ended (${end.reason}${end.code ? ` ${end.code}` : ''}): ${end.detail}`,
    );
    this.resolveEnded(end);
  }
}

/** `ws` types createConnection as net's; what it passes at run time are the request's options. */
function shallowConnectionFor(url: string): typeof createConnection {
  return (/^wss:/i.test(url) ? shallowTlsConnection : shallowNetConnection) as typeof createConnection;
}

/**
 * Opens the WebSocket (no compression, like the AWS plugin), sends the OpenDataChannel text frame
 * and resolves once that frame is on its way. The StreamUrl is used verbatim.
 */
export function connectDataChannel(options: DataChannelConnectOptions): Promise<DataChannelConnection> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(options.url, {
      perMessageDeflate: false,
      generateMask: maskGeneratorFor(options.url),
      headers: options.headers,
      handshakeTimeout: options.connectTimeoutMs,
      maxPayload: MAX_PAYLOAD_BYTES,
      // Read holds pause the socket; this socket then leaves what arrives in the kernel.
      ...((options.readCoalesceMs ?? 0) > 0 ? { createConnection: shallowConnectionFor(options.url) } : {}),
    });
    const fail = (error: DataChannelUpgradeError): void => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      reject(error);
    };
    socket.once('unexpected-response', (_request, response: IncomingMessage) => {
      response.resume();
      fail(
        new DataChannelUpgradeError(
          response.statusCode,
          `HTTP ${response.statusCode} ${response.statusMessage ?? ''}`,
        ),
      );
    });
    socket.once('error', (error) => fail(new DataChannelUpgradeError(undefined, error.message)));
    socket.once('open', () => {
      socket.removeAllListeners('error');
      socket.removeAllListeners('unexpected-response');
      const connection = new WebSocketDataChannel(socket, options);
      socket.send(openDataChannelFrame(options));
      resolve(connection);
    });
  });
}
