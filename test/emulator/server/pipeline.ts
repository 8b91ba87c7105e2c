import { setTimeout as sleep } from 'node:timers/promises';
import { AuthFailure, authenticate } from '../auth/authenticate';
import { sha256Hex } from '../auth/sigv4';
import { accessDeniedMessage, isDenied, type Identity } from '../auth/identities';
import type { CallLog } from '../callLog';
import { AwsError } from '../errors';
import type { FaultInjector } from '../faults';
import type { Paginator } from '../pagination';
import type { OperationContext, ProtocolName, ServiceDefinition } from '../operations';
import {
  headerText,
  type HttpReply,
  type IdentifiedCall,
  type ProtocolAdapter,
  type RawRequest,
} from '../protocols/adapter';
import { jsonProtocol } from '../protocols/json11';
import { queryProtocol } from '../protocols/query';
import { s3Protocol } from '../protocols/s3rest';
import type { EmulatorState } from '../state';
import type { ServiceRegistry } from './registry';
import { detectService } from './routing';

const ADAPTERS: Readonly<Record<ProtocolName, ProtocolAdapter>> = {
  json: jsonProtocol,
  query: queryProtocol,
  'rest-xml': s3Protocol,
};

export interface PipelineDependencies {
  readonly registry: ServiceRegistry;
  readonly state: EmulatorState;
  readonly faults: FaultInjector;
  readonly calls: CallLog;
  readonly pagination: Paginator;
  readonly endpoint: () => string;
  /** Called with unexpected exceptions (bugs); the client gets an InternalFailure. */
  readonly onInternalError: (error: unknown) => void;
}

interface CallNotes {
  operation: string;
  identity?: Identity;
  faulted: boolean;
}

/** Answers one AWS API request: identify → authenticate → faults → decode → authorize → handle. */
export async function handleAwsRequest(request: RawRequest, deps: PipelineDependencies): Promise<HttpReply> {
  const started = Date.now();
  const serviceName = detectService(request, deps.registry);
  const service = deps.registry.get(serviceName);
  if (!service) return unknownService(serviceName, request, deps, started);
  const adapter = ADAPTERS[service.protocol];
  const requestId = adapter.newRequestId();
  const notes: CallNotes = { operation: '(unidentified)', faulted: false };
  let reply: HttpReply;
  let errorCode: string | undefined;
  try {
    const output = await run(request, service, adapter, requestId, notes, deps);
    reply = adapter.success(output.value, output.call, requestId, service);
  } catch (caught) {
    const error = toAwsError(caught, adapter, service, deps);
    errorCode = error.code;
    reply = adapter.error(error, requestId, request);
  }
  deps.calls.record({
    time: new Date(started).toISOString(),
    service: service.name,
    operation: notes.operation,
    identity: notes.identity?.arn,
    accessKeyId: notes.identity?.accessKeyId,
    requestId,
    status: reply.status,
    errorCode,
    faulted: notes.faulted,
    durationMs: Date.now() - started,
  });
  return reply;
}

/**
 * Waits until `ms` have passed by the monotonic clock. A timer alone counts from the event loop's cached
 * time, which may be older than the call, so it can fire early (by a millisecond, more on a loaded host)
 * and a call with 50 ms of latency would have lasted 49.
 */
async function delayAtLeast(ms: number): Promise<void> {
  const until = performance.now() + ms;
  for (let left = ms; left > 0; left = until - performance.now()) {
    await sleep(Math.ceil(left), undefined, { ref: false });
  }
}

async function run(
  request: RawRequest,
  service: ServiceDefinition,
  adapter: ProtocolAdapter,
  requestId: string,
  notes: CallNotes,
  deps: PipelineDependencies,
): Promise<{ value: unknown; call: IdentifiedCall }> {
  deps.state.advance();
  const call = adapter.identify(request, service);
  notes.operation = call.operation;
  const identity = authenticateCall(request, service, call, deps.state);
  notes.identity = identity;
  if (!call.spec) throw adapter.unknownOperation(call, service);
  const decision = deps.faults.evaluate(service.name, call.operation);
  notes.faulted = decision.faulted;
  if (decision.latencyMs > 0) await delayAtLeast(decision.latencyMs);
  if (decision.error) throw decision.error;
  const input = adapter.decodeInput(request, call, service);
  const context: OperationContext = {
    service: service.name,
    operation: call.operation,
    requestId,
    identity,
    state: deps.state,
    now: deps.state.now(),
    headers: request.headers,
    endpoint: deps.endpoint(),
    calls: deps.calls,
    faults: deps.faults,
    pagination: deps.pagination,
  };
  authorize(service, call, input, context, adapter);
  return { value: await call.spec.handler(input, context), call };
}

function authenticateCall(
  request: RawRequest,
  service: ServiceDefinition,
  call: IdentifiedCall,
  state: EmulatorState,
): Identity | undefined {
  const identity = authenticate(
    {
      request: {
        method: request.method,
        rawPath: request.rawPath,
        rawQuery: request.rawQuery,
        rawHeaders: request.rawHeaders,
        payloadHash: headerText(request.headers, 'x-amz-content-sha256') ?? sha256Hex(request.body),
      },
      authorization: headerText(request.headers, 'authorization'),
      securityToken: headerText(request.headers, 'x-amz-security-token'),
      service: service.name,
      query: new URLSearchParams(request.rawQuery),
    },
    {
      identities: state.identities,
      region: state.region,
      verifySignatures: state.options.verifySignatures,
      enforceRegion: state.options.enforceRegion && service.name !== 's3',
      now: state.now(),
      instanceKeys:
        service.name === 'ssm'
          ? {
              publicKey: (id) => state.instances.get(id)?.publicKey,
              arn: (id) => state.arns.managedInstance(id),
            }
          : undefined,
    },
  );
  if (!identity && !call.spec?.anonymous) throw new AuthFailure('missing', 'The request is not signed');
  // A registration key only buys role credentials; everything else needs the role's credentials.
  if (identity?.instanceId !== undefined && !call.spec?.instanceKey) {
    throw new AuthFailure(
      'unknownAccessKey',
      `${identity.instanceId} signs with its registration key, which is only accepted for RequestManagedInstanceRoleToken and UpdateManagedInstancePublicKey`,
    );
  }
  if (call.spec?.instanceKey && identity?.instanceId === undefined) {
    throw new AuthFailure(
      'missing',
      `${call.operation} must be signed with a managed instance's registration key`,
    );
  }
  return identity;
}

function authorize(
  service: ServiceDefinition,
  call: IdentifiedCall,
  input: unknown,
  context: OperationContext,
  adapter: ProtocolAdapter,
): void {
  const spec = call.spec!;
  if (!context.identity || spec.iamAction === null) return;
  const action = spec.iamAction ?? `${service.iamPrefix}:${call.operation}`;
  const resource = spec.resourceArn?.(input, context) ?? context.state.arns.anyResource(service.name);
  if (isDenied(context.identity, action, resource)) {
    throw adapter.accessDenied(accessDeniedMessage(context.identity, action, resource));
  }
}

function toAwsError(
  caught: unknown,
  adapter: ProtocolAdapter,
  service: ServiceDefinition,
  deps: PipelineDependencies,
): AwsError {
  if (caught instanceof AwsError) return caught;
  if (caught instanceof AuthFailure) return adapter.authError(caught);
  deps.onInternalError(caught);
  return service.protocol === 'rest-xml'
    ? new AwsError('InternalError', 'We encountered an internal error. Please try again.', 500)
    : new AwsError(
        'InternalFailure',
        'The request processing has failed because of an unknown error, exception or failure.',
        500,
      );
}

function unknownService(
  name: string,
  request: RawRequest,
  deps: PipelineDependencies,
  started: number,
): HttpReply {
  const adapter = queryLike(request) ? queryProtocol : jsonProtocol;
  const requestId = adapter.newRequestId();
  const error = new AwsError(
    'UnknownOperationException',
    `The emulator does not implement the ${name} service (it serves ${deps.registry.names().join(', ')})`,
  );
  deps.calls.record({
    time: new Date(started).toISOString(),
    service: name,
    operation: '(unknown service)',
    requestId,
    status: error.status,
    errorCode: error.code,
    faulted: false,
    durationMs: Date.now() - started,
  });
  return adapter.error(error, requestId, request);
}

function queryLike(request: RawRequest): boolean {
  return (headerText(request.headers, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded');
}
