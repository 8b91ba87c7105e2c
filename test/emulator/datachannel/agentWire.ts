/**
 * The fake agent's own reading of the ClientMessage layout (src/ssm/PROTOCOL.md §3), written
 * independently of src/ssm so that a symmetric bug in the client's codec cannot hide itself.
 */
import { hash, randomUUID } from 'node:crypto';

export const WIRE = {
  headerLength: 116,
  headerSize: 120,
  typeField: { offset: 4, size: 32 },
  schemaVersionOffset: 36,
  createdDateOffset: 40,
  sequenceOffset: 48,
  flagsOffset: 56,
  messageIdOffset: 64,
  digestOffset: 80,
  payloadTypeOffset: 112,
  payloadLengthOffset: 116,
} as const;

export type TypePadding = 'space-right' | 'nul-left';

export interface AgentFrameFields {
  messageType: string;
  sequenceNumber: number;
  flags: number;
  payloadType: number;
  payload: Buffer;
  messageId?: string;
  createdDate?: number;
  typePadding?: TypePadding;
  corruptDigest?: boolean;
}

export interface WireFields {
  headerLength: number;
  rawType: Buffer;
  messageType: string;
  schemaVersion: number;
  createdDate: bigint;
  sequenceNumber: bigint;
  flags: bigint;
  messageId: string;
  digest: Buffer;
  payloadType: number;
  payloadLength: number;
  payload: Buffer;
}

/** UUID text → the 16 wire bytes: low 8 canonical bytes first, then the high 8. */
export function uuidToWire(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  return Buffer.from(hex.slice(16) + hex.slice(0, 16), 'hex');
}

export function wireToUuid(wire: Buffer): string {
  const hex = wire.toString('hex', 8, 16) + wire.toString('hex', 0, 8);
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join(
    '-',
  );
}

function paddedType(messageType: string, padding: TypePadding): Buffer {
  const field = Buffer.alloc(WIRE.typeField.size, padding === 'nul-left' ? 0 : 0x20);
  const text = Buffer.from(messageType, 'ascii');
  text.copy(field, padding === 'nul-left' ? WIRE.typeField.size - text.length : 0);
  return field;
}

export function encodeAgentFrame(fields: AgentFrameFields): Buffer {
  const head = Buffer.alloc(WIRE.headerSize);
  head.writeUInt32BE(WIRE.headerLength, 0);
  paddedType(fields.messageType, fields.typePadding ?? 'space-right').copy(head, WIRE.typeField.offset);
  head.writeUInt32BE(1, WIRE.schemaVersionOffset);
  head.writeBigUInt64BE(BigInt(fields.createdDate ?? Date.now()), WIRE.createdDateOffset);
  head.writeBigInt64BE(BigInt(fields.sequenceNumber), WIRE.sequenceOffset);
  head.writeBigUInt64BE(BigInt(fields.flags), WIRE.flagsOffset);
  uuidToWire(fields.messageId ?? randomUUID()).copy(head, WIRE.messageIdOffset);
  const digest = hash('sha256', fields.payload, 'buffer');
  if (fields.corruptDigest) digest[0] ^= 0xff;
  digest.copy(head, WIRE.digestOffset);
  head.writeUInt32BE(fields.payloadType, WIRE.payloadTypeOffset);
  head.writeUInt32BE(fields.payload.length, WIRE.payloadLengthOffset);
  return Buffer.concat([head, fields.payload]);
}

/** Just the MessageType (padding stripped), for a relay that looks at every frame; '' without a header. */
export function readWireMessageType(frame: Buffer): string {
  if (frame.length < WIRE.headerSize) return '';
  const { offset, size } = WIRE.typeField;
  let start = offset;
  let end = offset + size;
  while (start < end && (frame[start] === 0x20 || frame[start] === 0)) start += 1;
  while (end > start && (frame[end - 1] === 0x20 || frame[end - 1] === 0)) end -= 1;
  return frame.toString('latin1', start, end);
}

/** Reads the raw fields without judging them; undefined when even the header is missing. */
export function readWireFields(frame: Buffer): WireFields | undefined {
  if (frame.length < WIRE.headerSize) return undefined;
  const headerLength = frame.readUInt32BE(0);
  const payloadStart = Math.min(frame.length, Math.max(WIRE.headerSize, headerLength + 4));
  const rawType = frame.subarray(WIRE.typeField.offset, WIRE.typeField.offset + WIRE.typeField.size);
  return {
    headerLength,
    rawType,
    messageType: rawType.toString('latin1').replace(/^[\0 ]+|[\0 ]+$/g, ''),
    schemaVersion: frame.readUInt32BE(WIRE.schemaVersionOffset),
    createdDate: frame.readBigUInt64BE(WIRE.createdDateOffset),
    sequenceNumber: frame.readBigInt64BE(WIRE.sequenceOffset),
    flags: frame.readBigUInt64BE(WIRE.flagsOffset),
    messageId: wireToUuid(frame.subarray(WIRE.messageIdOffset, WIRE.messageIdOffset + 16)),
    digest: frame.subarray(WIRE.digestOffset, WIRE.digestOffset + 32),
    payloadType: frame.readUInt32BE(WIRE.payloadTypeOffset),
    payloadLength: frame.readUInt32BE(WIRE.payloadLengthOffset),
    payload: frame.subarray(payloadStart),
  };
}

export function ackPayload(acked: {
  messageType: string;
  messageId: string;
  sequenceNumber: number;
}): Buffer {
  return Buffer.from(
    JSON.stringify({
      AcknowledgedMessageType: acked.messageType,
      AcknowledgedMessageId: acked.messageId,
      AcknowledgedMessageSequenceNumber: acked.sequenceNumber,
      IsSequentialMessage: true,
    }),
  );
}
