import { hash } from 'node:crypto';
import { newMessageId, readMessageId, writeMessageId } from './messageId';
import {
  FRAME_HEADER_SIZE,
  HEADER_LENGTH,
  MESSAGE_TYPE_FIELD_SIZE,
  MessageType,
  SCHEMA_VERSION,
} from './protocolConstants';
import { ClientMessageDecodeError } from './sessionErrors';

/** One binary data-channel message ("ClientMessage" in the plugin, "AgentMessage" in the agent). */
export interface ClientMessage {
  messageType: string;
  schemaVersion: number;
  /** Unix epoch milliseconds. */
  createdDate: number;
  sequenceNumber: number;
  flags: number;
  /** Lowercase hyphenated UUID. */
  messageId: string;
  payloadType: number;
  payload: Buffer;
}

/** Recoverable irregularities found while decoding; the message is still usable. */
export type DecodeAnomaly = 'digest-mismatch' | 'payload-length-mismatch' | 'zero-created-date';

export interface DecodedClientMessage extends ClientMessage {
  headerLength: number;
  anomalies: DecodeAnomaly[];
}

const OFFSET = {
  headerLength: 0,
  messageType: 4,
  schemaVersion: 36,
  createdDate: 40,
  sequenceNumber: 48,
  flags: 56,
  messageId: 64,
  payloadDigest: 80,
  payloadType: 112,
  payloadLength: 116,
} as const;
const DIGEST_SIZE = 32;

export function sha256(data: Buffer): Buffer {
  return hash('sha256', data, 'buffer');
}

const TWO_POW_32 = 2 ** 32;
const paddedTypes = new Map<string, Buffer>();

/** The 32-byte MessageType field, right-padded with spaces like the AWS peers (cached per type). */
function paddedType(messageType: string): Buffer {
  let field = paddedTypes.get(messageType);
  if (!field) {
    const text = Buffer.from(messageType, 'ascii');
    if (text.length === 0 || text.length > MESSAGE_TYPE_FIELD_SIZE) {
      throw new RangeError(`MessageType "${messageType}" must be 1 to 32 ASCII characters.`);
    }
    field = Buffer.alloc(MESSAGE_TYPE_FIELD_SIZE, 0x20);
    text.copy(field);
    paddedTypes.set(messageType, field);
  }
  return field;
}

/** Big-endian 64-bit write of a non-negative safe integer, without BigInt allocations. */
function writeUInt64(frame: Buffer, value: number, offset: number): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${value} is not a non-negative safe integer`);
  frame.writeUInt32BE(Math.floor(value / TWO_POW_32), offset);
  frame.writeUInt32BE(value % TWO_POW_32, offset + 4);
}

/** Big-endian 64-bit read; values above 2^53 lose precision, which no real counter reaches. */
function readUInt64(frame: Buffer, offset: number, signed = false): number {
  const high = signed ? frame.readInt32BE(offset) : frame.readUInt32BE(offset);
  return high * TWO_POW_32 + frame.readUInt32BE(offset + 4);
}

/**
 * Encodes `message`. With `into` (at least header + payload bytes long) the frame is written there
 * and a view of it returned, so callers can reuse large buffers.
 */
export function encodeClientMessage(message: ClientMessage, into?: Buffer): Buffer {
  const typeField = paddedType(message.messageType);
  const size = FRAME_HEADER_SIZE + message.payload.length;
  const frame = into && into.length >= size ? into.subarray(0, size) : Buffer.allocUnsafe(size);
  frame.writeUInt32BE(HEADER_LENGTH, OFFSET.headerLength);
  typeField.copy(frame, OFFSET.messageType);
  frame.writeUInt32BE(message.schemaVersion, OFFSET.schemaVersion);
  writeUInt64(frame, message.createdDate, OFFSET.createdDate);
  writeUInt64(frame, message.sequenceNumber, OFFSET.sequenceNumber);
  writeUInt64(frame, message.flags, OFFSET.flags);
  writeMessageId(message.messageId, frame, OFFSET.messageId);
  sha256(message.payload).copy(frame, OFFSET.payloadDigest);
  frame.writeUInt32BE(message.payloadType, OFFSET.payloadType);
  frame.writeUInt32BE(message.payload.length, OFFSET.payloadLength);
  message.payload.copy(frame, FRAME_HEADER_SIZE);
  return frame;
}

/** The space-padded fields of the types that arrive once per message, checked before the general parse. */
const commonTypes = [MessageType.OutputStreamData, MessageType.Acknowledge, MessageType.InputStreamData].map(
  (messageType) => ({ messageType, field: paddedType(messageType) }),
);

/** Strips NUL and whitespace padding from both ends, so left- or NUL-padded types also parse. */
function readMessageType(frame: Buffer): string {
  for (const { messageType, field } of commonTypes) {
    if (
      frame.compare(
        field,
        0,
        MESSAGE_TYPE_FIELD_SIZE,
        OFFSET.messageType,
        OFFSET.messageType + MESSAGE_TYPE_FIELD_SIZE,
      ) === 0
    )
      return messageType;
  }
  const raw = frame.toString('latin1', OFFSET.messageType, OFFSET.messageType + MESSAGE_TYPE_FIELD_SIZE);
  return raw.replace(/^[\s\0]+|[\s\0]+$/g, '');
}

function isPublicationMessage(messageType: string): boolean {
  return messageType === MessageType.StartPublication || messageType === MessageType.PausePublication;
}

/**
 * Decodes one frame. Structural damage (too short, impossible HeaderLength, empty type) throws
 * ClientMessageDecodeError; digest, PayloadLength and CreatedDate problems are reported in
 * `anomalies` instead, because real peers are known to get some of them wrong.
 */
export function decodeClientMessage(frame: Buffer): DecodedClientMessage {
  if (frame.length < FRAME_HEADER_SIZE) {
    throw new ClientMessageDecodeError(
      `${frame.length} bytes is shorter than the ${FRAME_HEADER_SIZE}-byte header`,
    );
  }
  const headerLength = frame.readUInt32BE(OFFSET.headerLength);
  if (headerLength < HEADER_LENGTH || headerLength + 4 > frame.length) {
    throw new ClientMessageDecodeError(
      `HeaderLength ${headerLength} does not fit a ${frame.length}-byte frame`,
    );
  }
  const messageType = readMessageType(frame);
  if (messageType.length === 0) {
    throw new ClientMessageDecodeError('the MessageType field is empty');
  }
  const payload = frame.subarray(headerLength + 4);
  const anomalies: DecodeAnomaly[] = [];
  const createdDate = readUInt64(frame, OFFSET.createdDate);
  if (!isPublicationMessage(messageType)) {
    if (createdDate === 0) anomalies.push('zero-created-date');
    if (frame.readUInt32BE(OFFSET.payloadLength) !== payload.length)
      anomalies.push('payload-length-mismatch');
    const digest = frame.subarray(OFFSET.payloadDigest, OFFSET.payloadDigest + DIGEST_SIZE);
    if (payload.length > 0 && !sha256(payload).equals(digest)) anomalies.push('digest-mismatch');
  }
  return {
    headerLength,
    messageType,
    schemaVersion: frame.readUInt32BE(OFFSET.schemaVersion),
    createdDate,
    sequenceNumber: readUInt64(frame, OFFSET.sequenceNumber, true),
    flags: readUInt64(frame, OFFSET.flags),
    messageId: readMessageId(frame, OFFSET.messageId),
    payloadType: frame.readUInt32BE(OFFSET.payloadType),
    payload,
    anomalies,
  };
}

export function newClientMessage(
  fields: Pick<ClientMessage, 'messageType' | 'payloadType' | 'payload'> &
    Partial<Pick<ClientMessage, 'sequenceNumber' | 'flags' | 'messageId' | 'createdDate'>>,
): ClientMessage {
  return {
    schemaVersion: SCHEMA_VERSION,
    createdDate: fields.createdDate ?? Date.now(),
    sequenceNumber: fields.sequenceNumber ?? 0,
    flags: fields.flags ?? 0,
    messageId: fields.messageId ?? newMessageId(),
    messageType: fields.messageType,
    payloadType: fields.payloadType,
    payload: fields.payload,
  };
}
