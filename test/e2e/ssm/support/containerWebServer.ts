import type { ChildProcess } from 'node:child_process';
import type { SimulatedContainer } from '../../../emulator';
import { signalGroup } from '../../../emulator/containers/processes';

/** A web server inside a container (its own network): what a port forward to the container reaches. */
export interface ContainerWebServer {
  /** The container port it listens on (127.0.0.1 inside the container). */
  readonly port: number;
  /** A container port nothing listens on (it was free a moment ago). */
  readonly refusedPort: number;
  stop(): Promise<void>;
}

/** Answers every GET with `you asked for <url>` (HTTP/1.1, keep-alive for a minute). */
const SERVER = String.raw`
const http = require('node:http');
const net = require('node:net');
const web = http.createServer((request, response) => {
  const body = 'you asked for ' + request.url;
  response.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  response.end(body);
});
web.keepAliveTimeout = 60000;
const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const refusedPort = probe.address().port;
  probe.close(() =>
    web.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: web.address().port, refusedPort }))),
  );
});
`;

/** Starts the server in the container (on the host's Node.js, which containers see) and waits for its port. */
export async function startContainerWebServer(container: SimulatedContainer): Promise<ContainerWebServer> {
  const child = container.spawn([process.execPath, '-e', SERVER], { log: false });
  const { port, refusedPort } = await firstLine(child);
  return {
    port,
    refusedPort,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // The whole group: nsenter and the server it forked into the container's PID namespace.
      signalGroup(child.pid, 'SIGKILL');
      await exited;
    },
  };
}

function firstLine(child: ChildProcess): Promise<{ port: number; refusedPort: number }> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline >= 0)
        resolve(JSON.parse(stdout.slice(0, newline)) as { port: number; refusedPort: number });
    });
    child.once('exit', (code) => reject(new Error(`the container's web server exited (${code}): ${stderr}`)));
  });
}
