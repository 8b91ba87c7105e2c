// Stand-in agent: the demo's fallback without shared/peers (demoEnvironment.mjs); tested by runtime, network.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** An AWS error answered by the endpoint (its `__type` code and message). */
export class AwsCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'AwsCallError';
  }
}

/** SHA-256 / HMAC-SHA-256 on node:crypto, in the shape @smithy/signature-v4 wants. */
export class Sha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Buffer {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The SSM endpoint the container was given (the emulator). */
export function ssmEndpoint(fallback?: string): URL {
  const value = process.env.AWS_ENDPOINT_URL_SSM ?? process.env.AWS_ENDPOINT_URL ?? fallback;
  if (!value) {
    throw new Error(
      'no SSM endpoint: this stand-in agent talks to the AWS emulator named by AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_SSM)',
    );
  }
  return new URL(value);
}

/** SigV4 headers for a request to `url` (service `service`), as the SDKs sign it. */
export async function signedHeaders(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string,
  options: { credentials: AwsCredentials; region: string; service: string },
): Promise<Record<string, string>> {
  // Loaded on first use: `-register` does not sign, and should start fast.
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: options.service,
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, ...headers },
    body,
  });
  return signed.headers as Record<string, string>;
}

/** One awsJson1_1 call to SSM (`AmazonSSM.<operation>`); unsigned when no credentials are given. */
export async function ssmCall(
  endpoint: URL,
  operation: string,
  input: unknown,
  region: string,
  credentials?: AwsCredentials,
): Promise<Record<string, unknown>> {
  const body = JSON.stringify(input);
  const base = {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `AmazonSSM.${operation}`,
  };
  const headers = credentials
    ? await signedHeaders(endpoint, 'POST', base, body, { credentials, region, service: 'ssm' })
    : { host: endpoint.host, ...base };
  const { status, text } = await send(endpoint, 'POST', headers, body);
  const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (status >= 300) {
    const code = String(parsed.__type ?? `HTTP${status}`)
      .split('#')
      .pop()!;
    throw new AwsCallError(code, String(parsed.message ?? parsed.Message ?? text));
  }
  return parsed;
}

export function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${url.href} timed out`)));
    request.on('error', reject);
    request.end(body);
  });
}
