import { connect as netConnect, isIP, type NetConnectOpts, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

/**
 * A paused Node socket keeps reading from the kernel until its buffer reaches the high-water mark
 * (16 KiB): while a read hold lasts, each 1 KiB message of AWS's agent would still be its own
 * wake-up and read. With a 1-byte mark a paused socket stops reading at its first chunk, so what
 * arrives during a hold waits in the kernel and comes in one read when the hold ends. A flowing
 * socket hands each chunk on at once whatever the mark.
 */
const READ_BUFFER_BYTES = 1;

/**
 * What `ws` hands its createConnection: the HTTP request's options. Their `path` is the URL's path,
 * which net.connect would take for a Unix socket, so it is replaced as `ws` does.
 */
export interface WebSocketConnectOptions {
  readonly host?: string | null;
  readonly port?: number | string | null;
  readonly socketPath?: string;
  readonly servername?: string;
  readonly [option: string]: unknown;
}

/** `ws`'s createConnection for a ws: URL: a plain socket whose pause stops reading at once. */
export function shallowNetConnection(options: WebSocketConnectOptions): Socket {
  return netConnect({
    ...options,
    path: options.socketPath,
    readableHighWaterMark: READ_BUFFER_BYTES,
  } as NetConnectOpts);
}

/**
 * `ws`'s createConnection for a wss: URL; tls.connect's `highWaterMark` is its readable one. SNI as
 * `ws` sends it: the host name, none for an IP address.
 */
export function shallowTlsConnection(options: WebSocketConnectOptions): Socket {
  const host = options.host ?? undefined;
  return tlsConnect({
    ...options,
    host,
    path: undefined,
    servername: options.servername ?? (host === undefined || isIP(host) !== 0 ? '' : host),
    highWaterMark: READ_BUFFER_BYTES,
  } as ConnectionOptions);
}
