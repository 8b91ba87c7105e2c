import type { Socket } from 'node:net';

/**
 * Pipes two sockets into each other (both made with `allowHalfOpen`, so one side's FIN reaches the
 * other as a FIN and the reverse direction keeps flowing). An error on either side resets both.
 */
export function splice(a: Socket, b: Socket): void {
  const abort = (): void => {
    a.destroy();
    b.destroy();
  };
  a.on('error', abort);
  b.on('error', abort);
  a.pipe(b);
  b.pipe(a);
}

/** The 2-byte header a connection through a container's `from-host` socket starts with: the container port. */
export function portHeader(port: number): Buffer {
  const header = Buffer.alloc(2);
  header.writeUInt16BE(port, 0);
  return header;
}

export const PORT_HEADER_BYTES = 2;
