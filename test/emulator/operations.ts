import type { IncomingHttpHeaders } from 'node:http';
import type { Identity } from './auth/identities';
import type { CallLog } from './callLog';
import type { FaultInjector } from './faults';
import type { Paginator } from './pagination';
import type { EmulatorState } from './state';

/** The protocol families the emulator speaks. */
export type ProtocolName = 'json' | 'query' | 'rest-xml';

/** What every operation handler receives besides its input. */
export interface OperationContext {
  readonly service: string;
  readonly operation: string;
  readonly requestId: string;
  /** The signed caller; undefined only for operations marked `anonymous` called without a signature. */
  readonly identity?: Identity;
  readonly state: EmulatorState;
  /** The emulator's clock at the start of this request. */
  readonly now: Date;
  readonly headers: IncomingHttpHeaders;
  /** Where the emulator listens (`http://127.0.0.1:<port>`), e.g. to build StreamUrls. */
  readonly endpoint: string;
  readonly calls: CallLog;
  readonly faults: FaultInjector;
  /** Shared keyset pagination (opaque, validated NextTokens) for list operations. */
  readonly pagination: Paginator;
}

export interface OperationSpec<Input, Output> {
  readonly handler: (input: Input, context: OperationContext) => Output | Promise<Output>;
  /** IAM action checked against identities' deny rules; default `<service>:<Operation>`, null to skip. */
  readonly iamAction?: string | null;
  /** The resource named in AccessDenied messages; default `arn:<partition>:<service>:<region>:<account>:*`. */
  readonly resourceArn?: (input: Input, context: OperationContext) => string | undefined;
  /** Allows unsigned calls (the agent's RegisterManagedInstance is not SigV4-signed). */
  readonly anonymous?: boolean;
  /** Only a managed instance signing with its registration key (RSA) may call it. */
  readonly instanceKey?: boolean;
}

/** awsJson1_1 operations: input is the parsed JSON body; output is serialized (Dates → epoch seconds). */
export type JsonObject = Record<string, unknown>;
export type JsonOperation = OperationSpec<JsonObject, JsonObject>;

/** awsQuery operations: input is the flattened form parameters; output is the `<XResult>` members. */
export type QueryParams = Readonly<Record<string, string>>;
export type QueryOperation = OperationSpec<QueryParams, Record<string, unknown>>;

/** A path-style S3 request, with the body already decoded from aws-chunked if it was. */
export interface S3Request {
  readonly method: string;
  readonly bucket?: string;
  readonly key?: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface S3Response {
  readonly status?: number;
  readonly headers?: Record<string, string | number>;
  readonly body?: Buffer | string;
}

/** Which requests an S3 operation answers: method, path scope, and a required query subresource. */
export interface S3Route {
  readonly method: 'GET' | 'PUT' | 'HEAD' | 'DELETE' | 'POST';
  readonly scope: 'service' | 'bucket' | 'object';
  /** A query parameter that must be present (`list-type`, `uploads`, `tagging`, ...). */
  readonly subresource?: string;
  /** A header that must be present (`x-amz-copy-source` for CopyObject). */
  readonly header?: string;
}

export interface S3Operation extends OperationSpec<S3Request, S3Response> {
  readonly route: S3Route;
}

export type Handler<Input, Output> = OperationSpec<Input, Output>['handler'];

/** Tables accepted by `Emulator.addOperations`; a bare function is shorthand for `{ handler }`. */
export type JsonOperationTable = Record<string, JsonOperation | Handler<JsonObject, JsonObject>>;
export type QueryOperationTable = Record<
  string,
  QueryOperation | Handler<QueryParams, Record<string, unknown>>
>;
export type S3OperationTable = Record<string, S3Operation>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation = OperationSpec<any, any> & { readonly route?: S3Route };

export interface ServiceDefinition {
  /** The SigV4 signing name and the key in the registry: sagemaker, ssm, s3, sts. */
  readonly name: string;
  readonly protocol: ProtocolName;
  /** `X-Amz-Target` prefix for JSON services (`SageMaker`, `AmazonSSM`). */
  readonly targetPrefix?: string;
  /** Prefix of IAM actions (`sagemaker:`, `ssm:`, `s3:`, `sts:`). */
  readonly iamPrefix: string;
  readonly operations: Map<string, AnyOperation>;
}

export function normalizeOperation<Input, Output>(
  entry: OperationSpec<Input, Output> | Handler<Input, Output>,
): OperationSpec<Input, Output> {
  return typeof entry === 'function' ? { handler: entry } : entry;
}
