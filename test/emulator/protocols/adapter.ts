import type { IncomingHttpHeaders } from 'node:http';
import type { AuthFailure } from '../auth/authenticate';
import type { AwsError } from '../errors';
import type { AnyOperation, ServiceDefinition } from '../operations';

/** An HTTP request as received, with its whole body. */
export interface RawRequest {
  readonly method: string;
  /** Path as received, still percent-encoded. */
  readonly rawPath: string;
  /** Query string as received, without '?'. */
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

export interface HttpReply {
  readonly status: number;
  readonly headers: Record<string, string | number>;
  readonly body?: Buffer | string;
}

/** The operation a request addresses; `spec` is undefined when the service has no such operation. */
export interface IdentifiedCall {
  readonly operation: string;
  readonly spec?: AnyOperation;
}

/**
 * One AWS protocol family (awsJson1_1, awsQuery, S3 REST-XML): how to find the operation in a
 * request, decode its input, and write results and errors in that family's wire format.
 */
export interface ProtocolAdapter {
  newRequestId(): string;
  /** Finds the operation; throws AwsError when the request is not a well-formed call at all. */
  identify(request: RawRequest, service: ServiceDefinition): IdentifiedCall;
  /** Decodes the operation input; throws AwsError (SerializationException, IncompleteBody, ...). */
  decodeInput(request: RawRequest, call: IdentifiedCall, service: ServiceDefinition): unknown;
  success(output: unknown, call: IdentifiedCall, requestId: string, service: ServiceDefinition): HttpReply;
  error(error: AwsError, requestId: string, request: RawRequest): HttpReply;
  unknownOperation(call: IdentifiedCall, service: ServiceDefinition): AwsError;
  authError(failure: AuthFailure): AwsError;
  accessDenied(message: string): AwsError;
}

export function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
