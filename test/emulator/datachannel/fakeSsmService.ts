// The fake agent without an emulator, for the unit tests of our client (test/unit/ssm, test/unit/forward).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataChannelRoute } from './dataChannelRoute';
import type { SessionRegistryOptions } from './sessionRegistry';
import { SessionRegistry, SessionServiceError } from './sessionRegistry';
import { isSsmSessionOperation, runSsmSessionOperation } from './ssmSessionApi';

export interface FakeSsmService {
  /** http://127.0.0.1:<port>, usable as the SSM endpoint. */
  readonly endpoint: string;
  readonly registry: SessionRegistry;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
}

async function handleRequest(
  registry: SessionRegistry,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const target = String(request.headers['x-amz-target'] ?? '');
  const operation = target.startsWith('AmazonSSM.') ? target.slice('AmazonSSM.'.length) : '';
  const body = await readBody(request);
  if (request.method !== 'POST' || !isSsmSessionOperation(operation)) {
    sendJson(response, 400, { __type: 'UnknownOperationException', message: `Unsupported target ${target}` });
    return;
  }
  try {
    const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    sendJson(response, 200, await runSsmSessionOperation(registry, operation, input));
  } catch (error) {
    if (error instanceof SessionServiceError)
      sendJson(response, error.httpStatus, { __type: error.code, message: error.message });
    else sendJson(response, 500, { __type: 'InternalServerError', message: (error as Error).message });
  }
}

/**
 * A minimal standalone SSM endpoint (JSON 1.1 StartSession/ResumeSession/TerminateSession) plus the
 * data-channel WebSocket route, on 127.0.0.1. The full AWS emulator mounts the same pieces; this
 * one lets the data-channel tests run on their own.
 */
export async function startFakeSsmService(
  options: SessionRegistryOptions & { port?: number },
): Promise<FakeSsmService> {
  const registry = new SessionRegistry(options);
  const route = new DataChannelRoute(registry);
  const server = createServer((request, response) => void handleRequest(registry, request, response));
  server.on('upgrade', (request, socket, head) => {
    if (!route.handleUpgrade(request, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  registry.setStreamEndpoint(`ws://127.0.0.1:${port}`);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    registry,
    close: async () => {
      registry.dispose();
      route.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
