import type { HandshakeRequest, HandshakeResponse, ProcessedClientAction } from './handshake-payloads';
import { ActionStatus } from './handshake-payloads';
import type { PortSessionProperties } from './port-session-properties';
import { toPortSessionProperties } from './port-session-properties';

export interface HandshakeDecision {
  response: HandshakeResponse;
  /** False when an action was refused; the agent cancels such a session. */
  accepted: boolean;
  agentVersion: string;
  properties: PortSessionProperties;
  refusals: string[];
}

function processSessionType(parameters: Record<string, unknown>): {
  action: ProcessedClientAction;
  properties?: PortSessionProperties;
} {
  const sessionType = String(parameters.SessionType ?? '');
  if (sessionType === 'Port') {
    return {
      action: { actionType: 'SessionType', actionStatus: ActionStatus.Success, error: '' },
      properties: toPortSessionProperties(parameters.Properties),
    };
  }
  return {
    action: {
      actionType: 'SessionType',
      actionStatus: ActionStatus.Unsupported,
      error: `SessionType ${sessionType || '(empty)'} is not supported; this client only handles Port sessions.`,
    },
  };
}

/** Answers a HandshakeRequest: only a Port SessionType is accepted, every other action is refused. */
export function decideHandshake(request: HandshakeRequest, clientVersion: string): HandshakeDecision {
  const processed: ProcessedClientAction[] = [];
  let properties: PortSessionProperties | undefined;
  for (const requested of request.requestedClientActions) {
    if (requested.actionType === 'SessionType') {
      const outcome = processSessionType(requested.actionParameters);
      processed.push(outcome.action);
      properties = outcome.properties ?? properties;
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
    properties: properties ?? {},
    refusals,
  };
}
