import * as assert from 'node:assert/strict';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { startEmulator, type Emulator, type ScenarioDocument, type StartEmulatorOptions } from '../emulator';
import { Sha256 } from '../emulator/containers/agent/awsRequest';

/** Starts an emulator for a describe block and closes it afterwards; returns a getter. */
export function useEmulator(
  scenario: ScenarioDocument | string = {},
  options: Omit<StartEmulatorOptions, 'scenario'> = {},
): () => Emulator {
  let emulator: Emulator | undefined;
  before(async () => {
    emulator = await startEmulator({ ...options, scenario });
  });
  after(async () => {
    await emulator?.close();
  });
  return () => {
    if (!emulator) throw new Error('emulator not started');
    return emulator;
  };
}

export interface Clients {
  readonly sagemaker: SageMakerClient;
  readonly ssm: SSMClient;
  readonly s3: S3Client;
  readonly sts: STSClient;
}

/** Real SDK clients pointed at the emulator (no retries unless asked, so each call is one request). */
export function clientsFor(emulator: Emulator, identity?: string, maxAttempts = 1): Clients {
  const config = {
    endpoint: emulator.endpoint,
    region: emulator.state.region,
    credentials: emulator.credentials(identity),
    maxAttempts,
  };
  return {
    sagemaker: new SageMakerClient(config),
    ssm: new SSMClient(config),
    s3: new S3Client(config),
    sts: new STSClient(config),
  };
}

export interface AwsErrorShape {
  readonly name: string;
  readonly $metadata: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
  readonly message: string;
}

/** Awaits a rejected SDK call and checks the error's name (the AWS code) and HTTP status. */
export async function expectAwsError(
  promise: Promise<unknown>,
  name: string,
  status?: number,
): Promise<AwsErrorShape & Error> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof Error, `expected the call to fail with ${name}, but it succeeded`);
  const error = caught as AwsErrorShape & Error;
  assert.equal(error.name, name, `expected ${name}, got ${error.name}: ${error.message}`);
  if (status !== undefined) assert.equal(error.$metadata.httpStatusCode, status);
  assert.ok(error.$metadata.requestId, 'every AWS error carries a request id');
  return error;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface RawRequestOptions {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

/** A plain HTTP request to the emulator, byte for byte as given. */
export function rawRequest(emulator: Emulator, options: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = options.body ?? '';
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port: emulator.port,
        method: options.method ?? 'POST',
        path: options.path ?? '/',
        headers: { 'content-length': Buffer.byteLength(body), ...options.headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

export interface SignedRequestOptions extends RawRequestOptions {
  readonly service: string;
  readonly identity?: string;
  readonly region?: string;
}

/** A request signed by the SDK's own SigV4 signer (independent of the emulator's verifier). */
export async function signedRequest(emulator: Emulator, options: SignedRequestOptions): Promise<RawResponse> {
  const credentials = emulator.credentials(options.identity);
  const signer = new SignatureV4({
    credentials,
    region: options.region ?? emulator.state.region,
    service: options.service,
    sha256: Sha256,
    uriEscapePath: options.service !== 's3',
  });
  const [path, query] = (options.path ?? '/').split('?');
  const body = options.body ?? '';
  const signed = await signer.sign({
    method: options.method ?? 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: emulator.port,
    path: path!,
    query: Object.fromEntries(new URLSearchParams(query ?? '')),
    headers: { host: `127.0.0.1:${emulator.port}`, ...options.headers },
    body,
  });
  return rawRequest(emulator, { ...options, headers: signed.headers as Record<string, string> });
}

/** An awsJson1_1 call, signed, as the SDK would send it (for operations the SDK does not model). */
export function jsonCall(
  emulator: Emulator,
  target: string,
  input: unknown,
  options: { identity?: string; signed?: boolean } = {},
): Promise<RawResponse> {
  const service = target.startsWith('AmazonSSM.') ? 'ssm' : 'sagemaker';
  const request = {
    service,
    identity: options.identity,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
    body: JSON.stringify(input),
  };
  return options.signed === false ? rawRequest(emulator, request) : signedRequest(emulator, request);
}

/** Runs `body` with process.env temporarily extended. */
export async function withEnv<T>(env: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = new Map(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return await body();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
