import type { AuthFailure } from '../auth/authenticate';
import { AwsError } from '../errors';
import { jsonRequestId } from '../ids';
import type { QueryParams, ServiceDefinition } from '../operations';
import {
  headerText,
  type HttpReply,
  type IdentifiedCall,
  type ProtocolAdapter,
  type RawRequest,
} from './adapter';
import { el, membersToXml, renderXml, withAttributes } from './xml';

export interface QueryServiceDetails {
  readonly apiVersion: string;
  readonly xmlNamespace: string;
}

/** API version and XML namespace per awsQuery service. */
export const QUERY_SERVICES: Readonly<Record<string, QueryServiceDetails>> = {
  sts: { apiVersion: '2011-06-15', xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/' },
};

/** Form parameters from a POST body (application/x-www-form-urlencoded) or a GET query string. */
export function queryParams(request: RawRequest): QueryParams {
  const contentType = (headerText(request.headers, 'content-type') ?? '').toLowerCase();
  const source =
    request.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')
      ? request.body.toString('utf8')
      : request.rawQuery;
  return Object.fromEntries(new URLSearchParams(source));
}

/** awsQuery (STS): `Action=<Operation>&Version=<date>&...`, XML responses. */
export const queryProtocol: ProtocolAdapter = {
  newRequestId: jsonRequestId,

  identify(request: RawRequest, service: ServiceDefinition): IdentifiedCall {
    const params = queryParams(request);
    const action = params.Action;
    if (!action) throw new AwsError('MissingAction', 'The request must contain the parameter Action');
    const version = params.Version;
    if (version !== undefined && version !== details(service).apiVersion) return { operation: action };
    return { operation: action, spec: service.operations.get(action) };
  },

  decodeInput(request: RawRequest): QueryParams {
    const { Action: _action, Version: _version, ...rest } = queryParams(request);
    return rest;
  },

  success(output: unknown, call: IdentifiedCall, requestId: string, service: ServiceDefinition): HttpReply {
    const members = (output ?? {}) as Record<string, unknown>;
    const document = withAttributes(
      el(
        `${call.operation}Response`,
        el(`${call.operation}Result`, ...membersToXml(members)),
        el('ResponseMetadata', el('RequestId', requestId)),
      ),
      { xmlns: details(service).xmlNamespace },
    );
    return { status: 200, headers: xmlHeaders(requestId), body: renderXml(document, false) };
  },

  error(error: AwsError, requestId: string): HttpReply {
    const document = withAttributes(
      el(
        'ErrorResponse',
        el('Error', el('Type', error.faultType), el('Code', error.code), el('Message', error.message)),
        el('RequestId', requestId),
      ),
      { xmlns: QUERY_SERVICES.sts!.xmlNamespace },
    );
    return { status: error.status, headers: xmlHeaders(requestId), body: renderXml(document, false) };
  },

  unknownOperation(call: IdentifiedCall, service: ServiceDefinition): AwsError {
    return new AwsError(
      'InvalidAction',
      `Could not find operation ${call.operation} for version ${details(service).apiVersion}`,
    );
  },

  authError(failure: AuthFailure): AwsError {
    switch (failure.kind) {
      case 'missing':
        return new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
      case 'malformed':
        return new AwsError('IncompleteSignature', failure.detail, 400);
      case 'unknownAccessKey':
      case 'invalidSessionToken':
        return new AwsError(
          'InvalidClientTokenId',
          'The security token included in the request is invalid.',
          403,
        );
      case 'expired':
        return new AwsError('ExpiredToken', 'The security token included in the request is expired', 403);
      case 'wrongRegion':
        return new AwsError('SignatureDoesNotMatch', 'Credential should be scoped to a valid region. ', 403);
      case 'badSignature':
        return new AwsError(
          'SignatureDoesNotMatch',
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
          403,
        );
      case 'queryMalformed':
        return new AwsError('IncompleteSignature', failure.detail, 400);
      case 'requestExpired':
        return new AwsError('SignatureDoesNotMatch', `Signature expired: ${failure.detail}`, 403);
    }
  },

  accessDenied(message: string): AwsError {
    return new AwsError('AccessDenied', message, 403);
  },
};

function details(service: ServiceDefinition): QueryServiceDetails {
  const found = QUERY_SERVICES[service.name];
  if (!found) throw new Error(`No awsQuery details for service ${service.name}`);
  return found;
}

function xmlHeaders(requestId: string): Record<string, string> {
  return { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
}
