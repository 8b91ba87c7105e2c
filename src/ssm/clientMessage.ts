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
  readonly anomalies: readonly DecodeAnomaly[];
  /** The frame as received (the MessageId's wire bytes are at offset 64; acks copy them from there). */
  readonly frame: Buffer;
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

/**
 * Writes the SHA-256 of `data` at `offset`. Through a Latin-1 string rather than a Buffer: a Buffer
 * result is a new ArrayBuffer each time, which costs the garbage collector more than the hash.
 */
export function writeSha256(data: Buffer, target: Buffer, offset: number): void {
  target.write(hash('sha256', data, 'binary'), offset, DIGEST_SIZE, 'latin1');
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
  writeSha256(message.payload, frame, OFFSET.payloadDigest);
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

const NO_ANOMALIES: readonly DecodeAnomaly[] = Object.freeze([]);

/** A decoded frame whose MessageId text is made on first use: acks copy the id's wire bytes instead. */
class DecodedFrame implements DecodedClientMessage {
  private id: string | undefined;

  constructor(
    readonly frame: Buffer,
    readonly headerLength: number,
    readonly messageType: string,
    readonly createdDate: number,
    readonly sequenceNumber: number,
    readonly payloadType: number,
    readonly payload: Buffer,
    readonly anomalies: readonly DecodeAnomaly[],
  ) {}

  get schemaVersion(): number {
    return this.frame.readUInt32BE(OFFSET.schemaVersion);
  }
  get flags(): number {
    return readUInt64(this.frame, OFFSET.flags);
  }
  get messageId(): string {
    return (this.id ??= readMessageId(this.frame, OFFSET.messageId));
  }
}

function anomaliesOf(
  frame: Buffer,
  messageType: string,
  createdDate: number,
  payload: Buffer,
  checkDigest: boolean,
): readonly DecodeAnomaly[] {
  if (isPublicationMessage(messageType)) return NO_ANOMALIES;
  let found: DecodeAnomaly[] | undefined;
  if (createdDate === 0) (found ??= []).push('zero-created-date');
  if (frame.readUInt32BE(OFFSET.payloadLength) !== payload.length)
    (found ??= []).push('payload-length-mismatch');
  if (checkDigest && payload.length > 0) {
    const digest = frame.subarray(OFFSET.payloadDigest, OFFSET.payloadDigest + DIGEST_SIZE);
    if (!sha256(payload).equals(digest)) (found ??= []).push('digest-mismatch');
  }
  return found ?? NO_ANOMALIES;
}

/**
 * Decodes one frame. Structural damage (too short, impossible HeaderLength, empty type) throws
 * ClientMessageDecodeError; digest, PayloadLength and CreatedDate problems are reported in
 * `anomalies` instead, because real peers are known to get some of them wrong. `checkDigest`
 * false skips hashing the payload (no digest anomaly is reported then).
 */
export function decodeClientMessage(frame: Buffer, checkDigest = true): DecodedClientMessage {
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
  const createdDate = readUInt64(frame, OFFSET.createdDate);
  const anomalies = anomaliesOf(frame, messageType, createdDate, payload, checkDigest);
  return new DecodedFrame(
    frame,
    headerLength,
    messageType,
    createdDate,
    readUInt64(frame, OFFSET.sequenceNumber, true),
    frame.readUInt32BE(OFFSET.payloadType),
    payload,
    anomalies,
  );
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
