import type { HandshakeRequest, HandshakeResponse, ProcessedClientAction } from './handshakePayloads';
import { ActionStatus } from './handshakePayloads';
import type { PortSessionProperties } from './portSessionProperties';
import { toPortSessionProperties } from './portSessionProperties';
import type { SessionKind } from './sessionOptions';
import { SHELL_SESSION_TYPES } from './sessionMode';

export interface HandshakeDecision {
  response: HandshakeResponse;
  /** False when an action was refused; the agent cancels such a session. */
  accepted: boolean;
  agentVersion: string;
  /** The SessionType the agent asked for (`Port`, `Standard_Stream`, …); empty if none. */
  sessionType: string;
  properties: PortSessionProperties;
  refusals: string[];
}

function isOfKind(sessionType: string, kind: SessionKind): boolean {
  return kind === 'port' ? sessionType === 'Port' : SHELL_SESSION_TYPES.has(sessionType);
}

function processSessionType(
  parameters: Record<string, unknown>,
  kind: SessionKind,
): {
  action: ProcessedClientAction;
  sessionType: string;
  properties?: PortSessionProperties;
} {
  const sessionType = String(parameters.SessionType ?? '');
  if (isOfKind(sessionType, kind)) {
    return {
      action: { actionType: 'SessionType', actionStatus: ActionStatus.Success, error: '' },
      sessionType,
      properties: toPortSessionProperties(parameters.Properties),
    };
  }
  const wanted = kind === 'port' ? 'Port sessions' : 'shell sessions (Standard_Stream)';
  return {
    action: {
      actionType: 'SessionType',
      actionStatus: ActionStatus.Unsupported,
      error: `SessionType ${sessionType || '(empty)'} is not supported; this client only handles ${wanted} here.`,
    },
    sessionType,
  };
}

/**
 * Answers a HandshakeRequest: a SessionType of the expected kind (Port by default, or a shell
 * type) is accepted, every other action is refused.
 */
export function decideHandshake(
  request: HandshakeRequest,
  clientVersion: string,
  kind: SessionKind = 'port',
): HandshakeDecision {
  const processed: ProcessedClientAction[] = [];
  let properties: PortSessionProperties | undefined;
  let sessionType = '';
  for (const requested of request.requestedClientActions) {
    if (requested.actionType === 'SessionType') {
      const outcome = processSessionType(requested.actionParameters, kind);
      processed.push(outcome.action);
      properties = outcome.properties ?? properties;
      sessionType = outcome.sessionType;
    } else {
      processed.push({
        actionType: requested.actionType,
        actionStatus: ActionStatus.Unsupported,
        error: `Action ${requested.actionType} is not supported by this client.`,
      });
    }
  }
  const refusals = processed.filter((a) => a.actionStatus !== ActionStatus.Success).map((a) => a.error);
  if (!properties && refusals.length === 0) {
    refusals.push('The agent did not request a SessionType; cannot tell which session this is.');
  }
  return {
    response: { clientVersion, processedClientActions: processed, errors: refusals },
    accepted: refusals.length === 0,
    agentVersion: request.agentVersion,
    sessionType,
    properties: properties ?? {},
    refusals,
  };
}
