import { parseJsonObject } from './jsonPayload';
import { PayloadParseError } from './sessionErrors';

export interface AcknowledgePayload {
  acknowledgedMessageType: string;
  acknowledgedMessageId: string;
  acknowledgedSequenceNumber: number;
}

export function encodeAcknowledgePayload(ack: AcknowledgePayload): Buffer {
  return Buffer.from(
    JSON.stringify({
      AcknowledgedMessageType: ack.acknowledgedMessageType,
      AcknowledgedMessageId: ack.acknowledgedMessageId,
      AcknowledgedMessageSequenceNumber: ack.acknowledgedSequenceNumber,
      IsSequentialMessage: true,
    }),
    'utf8',
  );
}

export function parseAcknowledgePayload(payload: Buffer): AcknowledgePayload {
  const json = parseJsonObject('acknowledge', payload);
  const sequenceNumber = json.AcknowledgedMessageSequenceNumber;
  if (typeof sequenceNumber !== 'number' || !Number.isInteger(sequenceNumber)) {
    throw new PayloadParseError('acknowledge', 'AcknowledgedMessageSequenceNumber is not an integer');
  }
  return {
    acknowledgedMessageType: String(json.AcknowledgedMessageType ?? ''),
    acknowledgedMessageId: String(json.AcknowledgedMessageId ?? ''),
    acknowledgedSequenceNumber: sequenceNumber,
  };
}
