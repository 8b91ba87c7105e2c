import { parseJsonObject } from './jsonPayload';

export interface ChannelClosedPayload {
  sessionId: string;
  /** Human-readable reason from the service; may be empty. */
  output: string;
}

export function parseChannelClosedPayload(payload: Buffer): ChannelClosedPayload {
  if (payload.length === 0) return { sessionId: '', output: '' };
  const json = parseJsonObject('channel_closed', payload);
  return {
    sessionId: typeof json.SessionId === 'string' ? json.SessionId : '',
    output: typeof json.Output === 'string' ? json.Output : '',
  };
}

const ERROR_WORDS =
  /\b(error|fail(ed|ure)?|denied|unable|cannot|can't|timed out|timeout|refused|invalid|not (found|connected)|exception)\b/i;

/** The service explains abnormal ends in Output; an empty or neutral text means a normal end. */
export function channelClosedLooksLikeError(output: string): boolean {
  return ERROR_WORDS.test(output);
}
