// Fake agent's strict mode (test/unit/ssm): flags client frames AWS's agent would silently accept.
import { hash } from 'node:crypto';
import type { WireFields } from './agentWire';
import { WIRE } from './agentWire';

const CLIENT_TYPES = new Set(['input_stream_data', 'acknowledge']);
const CLIENT_STREAM_PAYLOAD_TYPES = new Set([1, 6, 10]);
const ONE_DAY_MS = 24 * 3600 * 1000;
const ZERO_ID = '00000000-0000-0000-0000-000000000000';

/** Header-level rules every frame from a correct client satisfies (strict mode). */
export function clientHeaderViolations(fields: WireFields, frameLength: number): string[] {
  const problems: string[] = [];
  const label = `${fields.messageType || '(empty type)'} seq ${fields.sequenceNumber}`;
  const add = (text: string): void => void problems.push(`${label}: ${text}`);
  if (fields.headerLength !== WIRE.headerLength) add(`HeaderLength ${fields.headerLength}, expected 116`);
  if (!CLIENT_TYPES.has(fields.messageType)) add('unexpected MessageType from a client');
  const expectedType = Buffer.alloc(32, 0x20);
  expectedType.write(fields.messageType, 0, 'ascii');
  if (!fields.rawType.equals(expectedType)) add('MessageType is not right-padded with spaces');
  if (fields.schemaVersion !== 1) add(`SchemaVersion ${fields.schemaVersion}, expected 1`);
  const created = Number(fields.createdDate);
  if (created === 0) add('CreatedDate is 0');
  else if (Math.abs(created - Date.now()) > ONE_DAY_MS)
    add(`CreatedDate ${created} is not current epoch milliseconds`);
  if (fields.payloadLength !== frameLength - WIRE.headerSize) {
    add(`PayloadLength ${fields.payloadLength} but ${frameLength - WIRE.headerSize} payload bytes`);
  }
  if (!hash('sha256', fields.payload, 'buffer').equals(fields.digest))
    add('PayloadDigest is not SHA-256 of the payload');
  if (fields.messageId === ZERO_ID) add('MessageId is all zeros');
  if (fields.messageType === 'acknowledge') {
    if (fields.flags !== 3n) add(`ack Flags ${fields.flags}, expected 3`);
    if (fields.sequenceNumber !== 0n) add('ack SequenceNumber is not 0');
    if (fields.payloadType !== 0) add(`ack PayloadType ${fields.payloadType}, expected 0`);
  } else if (fields.messageType === 'input_stream_data') {
    if (fields.sequenceNumber < 0n) add('negative SequenceNumber');
    if (fields.flags > 3n) add(`Flags ${fields.flags} has unknown bits`);
    if (!CLIENT_STREAM_PAYLOAD_TYPES.has(fields.payloadType))
      add(`PayloadType ${fields.payloadType} is not one a port client sends`);
  }
  return problems;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FOUR_PART = /^\d+\.\d+\.\d+\.\d+$/;

export interface OpenDataChannelFrame {
  TokenValue?: unknown;
  ClientId?: unknown;
  ClientVersion?: unknown;
  RequestId?: unknown;
  MessageSchemaVersion?: unknown;
}

/** Rules for the OpenDataChannel text frame (strict mode); a missing ClientId/Version is tolerated elsewhere. */
export function openFrameViolations(frame: OpenDataChannelFrame): string[] {
  const problems: string[] = [];
  if (frame.MessageSchemaVersion !== '1.0')
    problems.push('OpenDataChannel MessageSchemaVersion is not "1.0"');
  if (typeof frame.RequestId !== 'string' || !UUID.test(frame.RequestId))
    problems.push('OpenDataChannel RequestId is not a lowercase UUID');
  if (typeof frame.ClientId !== 'string' || !UUID.test(frame.ClientId))
    problems.push('OpenDataChannel ClientId is not a lowercase UUID');
  if (typeof frame.ClientVersion !== 'string' || !FOUR_PART.test(frame.ClientVersion)) {
    problems.push('OpenDataChannel ClientVersion is not a 4-part numeric version');
  }
  return problems;
}
