import { PayloadParseError } from './sessionErrors';

/** A payload that must be a JSON object (handshake, acknowledge, channel_closed). */
export function parseJsonObject(what: string, payload: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new PayloadParseError(what, (error as Error).message);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PayloadParseError(what, 'it is not a JSON object');
  }
  return value as Record<string, unknown>;
}
