import type { AuthFailure } from '../auth/authenticate';
import { AwsError, serializationError } from '../errors';
import { jsonRequestId } from '../ids';
import type { JsonObject, ServiceDefinition } from '../operations';
import {
  headerText,
  type HttpReply,
  type IdentifiedCall,
  type ProtocolAdapter,
  type RawRequest,
} from './adapter';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const ACCEPTED_CONTENT_TYPES = ['application/x-amz-json-1.1', 'application/x-amz-json-1.0'];

/** awsJson1_1 (SageMaker, SSM): POST /, `X-Amz-Target: <Prefix>.<Operation>`, JSON body. */
export const jsonProtocol: ProtocolAdapter = {
  newRequestId: jsonRequestId,

  identify(request: RawRequest, service: ServiceDefinition): IdentifiedCall {
    const target = headerText(request.headers, 'x-amz-target');
    if (request.method !== 'POST' || !target) {
      throw new AwsError(
        'UnknownOperationException',
        `Expected a POST with an X-Amz-Target header of the form ${service.targetPrefix}.<Operation>`,
      );
    }
    const dot = target.indexOf('.');
    const prefix = dot === -1 ? '' : target.slice(0, dot);
    const operation = dot === -1 ? target : target.slice(dot + 1);
    if (prefix !== service.targetPrefix) return { operation: target };
    return { operation, spec: service.operations.get(operation) };
  },

  decodeInput(request: RawRequest): JsonObject {
    const contentType = (headerText(request.headers, 'content-type') ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (!ACCEPTED_CONTENT_TYPES.includes(contentType)) {
      throw serializationError(`Unsupported Content-Type '${contentType}'; expected ${CONTENT_TYPE}`);
    }
    const text = request.body.toString('utf8').trim();
    if (text === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw serializationError('The request body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw serializationError('The request body must be a JSON object');
    }
    return parsed as JsonObject;
  },

  success(output: unknown, _call: IdentifiedCall, requestId: string): HttpReply {
    return {
      status: 200,
      headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
      body: toWireJson(output ?? {}),
    };
  },

  error(error: AwsError, requestId: string): HttpReply {
    return {
      status: error.status,
      headers: {
        'content-type': CONTENT_TYPE,
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': error.code,
      },
      body: JSON.stringify({ __type: error.code, message: error.message }),
    };
  },

  unknownOperation(call: IdentifiedCall, service: ServiceDefinition): AwsError {
    return new AwsError(
      'UnknownOperationException',
      `Operation ${call.operation} is not supported by ${service.name} (X-Amz-Target must be ${service.targetPrefix}.<Operation>)`,
    );
  },

  authError(failure: AuthFailure): AwsError {
    switch (failure.kind) {
      case 'missing':
        return new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
      case 'malformed':
        return new AwsError('IncompleteSignatureException', failure.detail);
      case 'unknownAccessKey':
      case 'invalidSessionToken':
        return new AwsError(
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        );
      case 'expired':
        return new AwsError('ExpiredTokenException', 'The security token included in the request is expired');
      case 'wrongRegion':
        return new AwsError('InvalidSignatureException', 'Credential should be scoped to a valid region. ');
      case 'badSignature':
        return new AwsError(
          'InvalidSignatureException',
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
        );
      case 'queryMalformed':
        return new AwsError('IncompleteSignatureException', failure.detail);
      case 'requestExpired':
        return new AwsError('InvalidSignatureException', `Signature expired: ${failure.detail}`);
    }
  },

  accessDenied(message: string): AwsError {
    return new AwsError('AccessDeniedException', message);
  },
};

/** JSON with Dates as epoch seconds (awsJson's default timestamp format). */
export function toWireJson(value: unknown): string {
  return JSON.stringify(
    value,
    function replacer(this: Record<string, unknown>, key: string, converted: unknown) {
      const original = this[key];
      return original instanceof Date ? original.getTime() / 1000 : converted;
    },
  );
}
