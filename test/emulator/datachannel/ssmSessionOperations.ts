import type { Emulator } from '../emulator';
import { AwsError } from '../errors';
import type { JsonObject, OperationContext } from '../operations';
import { JsonInput } from '../protocols/jsonInput';
import { replyMgsError, replyMgsToken } from '../server/mgsReplies';
import type { AgentBehaviour } from './agentBehaviour';
import { DataChannelRoute } from './dataChannelRoute';
import type { AgentSessionStart, StartSessionInput, TargetResolver } from './sessionRegistry';
import { SessionRegistry, SessionServiceError } from './sessionRegistry';

export interface SsmSessionsOptions {
  /** Maps a target (and the document's port/host) to the local TCP endpoint the fake agent dials. */
  resolveTarget: TargetResolver;
  /** Agent behaviour per new session (versions, pacing, faults, strict mode). */
  behaviour?: Partial<AgentBehaviour> | ((input: StartSessionInput) => Partial<AgentBehaviour>);
  /** Hands a session to the target's real agent; true: the session is relayed to it (see RelaySession). */
  startOnAgent?: (task: AgentSessionStart) => boolean;
}

const TARGET_PATTERN = /^(i-[0-9a-f]{8,17}|mi-[0-9a-f]{17}|ecs:.+|sagemaker-[\w-]+:.+)$/;

function toAwsError(error: unknown): unknown {
  return error instanceof SessionServiceError
    ? new AwsError(error.code, error.message, error.httpStatus)
    : error;
}

function sessionArn(context: OperationContext, sessionId: string): string {
  const { partition, region, account } = context.state.arns;
  return `arn:${partition}:ssm:${region}:${account}:session/${sessionId}`;
}

function targetArn(context: OperationContext, target: string): string {
  const { arns } = context.state;
  if (target.startsWith('i-'))
    return `arn:${arns.partition}:ec2:${arns.region}:${arns.account}:instance/${target}`;
  if (target.startsWith('mi-')) return arns.managedInstance(target);
  return arns.anyResource('ssm');
}

/**
 * Online means: a managed instance (`mi-…`) registered in the emulator with PingStatus Online, or
 * any other target the test's resolver knows (EC2 instances, SageMaker targets).
 */
function isOnline(emulator: Emulator, resolveTarget: TargetResolver, target: string): boolean {
  if (target.startsWith('mi-'))
    return (
      emulator.state.instances.get(target)?.pingStatus === 'Online' &&
      !emulator.state.isServiceOwnedInstance(target)
    );
  return resolveTarget(target, 22, undefined) !== undefined;
}

function readStartSession(input: JsonObject): StartSessionInput {
  const reader = JsonInput.of(input);
  const target = reader.string('Target', { required: true, min: 1, max: 400 });
  const documentName = reader.string('DocumentName', { pattern: /^[a-zA-Z0-9_\-.:/]{3,128}$/ });
  const reason = reader.string('Reason', { max: 256 });
  const parameters = reader.raw('Parameters');
  reader.finish();
  if (
    parameters !== undefined &&
    (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters))
  ) {
    throw new AwsError('SerializationException', "Expected an object at 'Parameters'");
  }
  for (const [name, values] of Object.entries((parameters ?? {}) as Record<string, unknown>)) {
    if (!Array.isArray(values) || values.some((value) => typeof value !== 'string')) {
      throw new AwsError('SerializationException', `Expected a list of strings at 'Parameters.${name}'`);
    }
  }
  return {
    Target: target,
    DocumentName: documentName,
    Reason: reason,
    Parameters: parameters as Record<string, string[]> | undefined,
  };
}

function readSessionId(input: JsonObject): string {
  const reader = JsonInput.of(input);
  const sessionId = reader.string('SessionId', { required: true, min: 1, max: 96 });
  reader.finish();
  return sessionId!;
}

/**
 * Adds StartSession, ResumeSession and TerminateSession (awsJson1_1, real error codes; AccessDenied
 * comes from the emulator's identity deny rules on ssm:StartSession etc.) and the data-channel
 * WebSocket route `/v1/data-channel/` to an emulator. Returns the session registry, through which
 * tests reach each session's fake agent (faults, violations).
 */
export function installSsmSessions(emulator: Emulator, options: SsmSessionsOptions): SessionRegistry {
  const registry = new SessionRegistry({
    resolveTarget: options.resolveTarget,
    isTargetOnline: (target) => isOnline(emulator, options.resolveTarget, target),
    behaviour: options.behaviour,
    startOnAgent: options.startOnAgent,
  });
  // CreateDataChannel: the agent's session worker asks for its side of a relayed session.
  emulator.onRequest('/v1/data-channel/', (request, response) => {
    request.resume();
    request.on('end', () => {
      const sessionId = decodeURIComponent(
        (request.url ?? '').split('?')[0]!.slice('/v1/data-channel/'.length),
      );
      const relay = registry.relay(sessionId);
      if (request.method !== 'POST' || !relay || relay.isClosed) {
        replyMgsError(response, 404, `No session ${sessionId} waits for an agent data channel`);
        return;
      }
      replyMgsToken(response, 'CreateDataChannel', relay.issueAgentToken());
    });
  });
  const route = new DataChannelRoute(registry);
  const useEndpoint = (context: OperationContext): void =>
    registry.setStreamEndpoint(context.endpoint.replace(/^http/, 'ws'));
  emulator.addOperations('ssm', {
    StartSession: {
      handler: (input, context) => {
        const request = readStartSession(input);
        if (!TARGET_PATTERN.test(request.Target ?? '')) {
          throw new AwsError(
            'InvalidTarget',
            `Target ${request.Target} is not a valid instance, managed node or task.`,
          );
        }
        useEndpoint(context);
        try {
          return { ...registry.startSession(request) };
        } catch (error) {
          throw toAwsError(error);
        }
      },
      resourceArn: (input, context) => targetArn(context, String(input.Target ?? '')),
    },
    ResumeSession: {
      handler: (input, context) => {
        const sessionId = readSessionId(input);
        useEndpoint(context);
        try {
          return { ...registry.resumeSession({ SessionId: sessionId }) };
        } catch (error) {
          throw toAwsError(error);
        }
      },
      resourceArn: (input, context) => sessionArn(context, String(input.SessionId ?? '')),
    },
    TerminateSession: {
      handler: async (input) => {
        const sessionId = readSessionId(input);
        try {
          return await registry.terminateSession({ SessionId: sessionId });
        } catch (error) {
          throw toAwsError(error);
        }
      },
      resourceArn: (input, context) => sessionArn(context, String(input.SessionId ?? '')),
    },
  });
  emulator.onUpgrade('/v1/data-channel/', (request, socket, head) => {
    if (!route.handleUpgrade(request, socket, head)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  });
  return registry;
}
