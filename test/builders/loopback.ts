// Loopback helpers for tests that reach servers in simulated containers (they share this machine's
// 127.0.0.1) through forwards.
import type { ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:net';
import type { SimulatedContainer } from '../emulator/containers/container';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts a TCP connection on 127.0.0.1:port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** GET http://127.0.0.1:port/path without keep-alive: its status and body. */
export function fetchText(
  port: number,
  path: string,
  timeoutMs = 30_000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    // A hung request fails naming itself rather than as the test's timeout.
    request.setTimeout(timeoutMs, () =>
      request.destroy(new Error(`GET 127.0.0.1:${port}${path}: no answer within ${timeoutMs} ms`)),
    );
    request.on('error', reject);
  });
}

/**
 * `python3 -m http.server` in the container, serving `directory` on a free 127.0.0.1 port of the
 * container's own network; resolves once it answers a GET through the container's network bridge.
 */
export async function startWebServer(
  container: SimulatedContainer,
  directory: string,
): Promise<{ readonly port: number; readonly server: ChildProcess }> {
  const port = await freePort();
  const server = container.spawn([
    'python3',
    '-m',
    'http.server',
    String(port),
    '--bind',
    '127.0.0.1',
    '--directory',
    directory,
  ]);
  // The bridge's host listener accepts at once; only an HTTP answer shows the server is up.
  const reach = await container.hostPortFor(port);
  while (
    !(await fetchText(reach, '/').then(
      () => true,
      () => false,
    ))
  ) {
    if (server.exitCode !== null) throw new Error(`http.server in the container exited ${server.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { port, server };
}
