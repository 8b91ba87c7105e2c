import { parseJsonObject } from './jsonPayload';
import { PayloadParseError } from './sessionErrors';

export const ActionStatus = { Success: 1, Failed: 2, Unsupported: 3 } as const;

export interface RequestedClientAction {
  actionType: string;
  actionParameters: Record<string, unknown>;
}

export interface HandshakeRequest {
  agentVersion: string;
  requestedClientActions: RequestedClientAction[];
}

export interface ProcessedClientAction {
  actionType: string;
  actionStatus: number;
  error: string;
}

export interface HandshakeResponse {
  clientVersion: string;
  processedClientActions: ProcessedClientAction[];
  errors: string[];
}

export interface HandshakeComplete {
  handshakeTimeToCompleteNanos: number;
  customerMessage: string;
}

export function parseHandshakeRequest(payload: Buffer): HandshakeRequest {
  const json = parseJsonObject('HandshakeRequest', payload);
  const actions = json.RequestedClientActions;
  if (actions !== undefined && actions !== null && !Array.isArray(actions)) {
    throw new PayloadParseError('HandshakeRequest', 'RequestedClientActions is not a list');
  }
  return {
    agentVersion: typeof json.AgentVersion === 'string' ? json.AgentVersion : '',
    requestedClientActions: (actions ?? []).map((action: unknown) => {
      const entry = (action ?? {}) as Record<string, unknown>;
      const parameters = entry.ActionParameters;
      return {
        actionType: String(entry.ActionType ?? ''),
        actionParameters:
          typeof parameters === 'object' && parameters !== null
            ? (parameters as Record<string, unknown>)
            : {},
      };
    }),
  };
}

export function encodeHandshakeResponse(response: HandshakeResponse): Buffer {
  return Buffer.from(
    JSON.stringify({
      ClientVersion: response.clientVersion,
      ProcessedClientActions: response.processedClientActions.map((action) => ({
        ActionType: action.actionType,
        ActionStatus: action.actionStatus,
        ActionResult: null,
        Error: action.error,
      })),
      Errors: response.errors.length > 0 ? response.errors : null,
    }),
    'utf8',
  );
}

export function parseHandshakeComplete(payload: Buffer): HandshakeComplete {
  const json = parseJsonObject('HandshakeComplete', payload);
  return {
    handshakeTimeToCompleteNanos:
      typeof json.HandshakeTimeToComplete === 'number' ? json.HandshakeTimeToComplete : 0,
    customerMessage: typeof json.CustomerMessage === 'string' ? json.CustomerMessage : '',
  };
}
