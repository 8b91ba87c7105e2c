import { randomBytes } from 'node:crypto';
import { writeSha256 } from './clientMessage';
import { writeMessageIdText } from './messageId';
import {
  FRAME_HEADER_SIZE,
  HEADER_LENGTH,
  HeaderFlags,
  MessageType,
  PayloadType,
  SCHEMA_VERSION,
} from './protocolConstants';

/** What an ack names: the acknowledged message's type, id (lowercase hyphenated UUID) and sequence. */
export interface AcknowledgedMessage {
  readonly messageType: string;
  readonly messageId: string;
  readonly sequenceNumber: number;
  /** The acknowledged frame as received: the id's text is then written from its wire bytes. */
  readonly frame?: Buffer;
}

const MESSAGE_ID_OFFSET = 64;

/** Writes the ack's own 16-byte MessageId (wire order) at `offset`. */
export type MessageIdWriter = (frame: Buffer, offset: number) => void;

const TWO_POW_32 = 2 ** 32;
const ID_POOL_SIZE = 16 * 256;
let idPool = Buffer.alloc(0);
let idPoolOffset = 0;

/**
 * A random version-4 UUID written straight in wire order (src/ssm/PROTOCOL.md §3.1: the UUID's bytes
 * 8–15, then 0–7), from a pooled buffer of random bytes: what `randomUUID` + `writeMessageId` wrote,
 * without the string round trip.
 */
export const randomMessageId: MessageIdWriter = (frame, offset) => {
  if (idPoolOffset + 16 > idPool.length) {
    idPool = randomBytes(ID_POOL_SIZE);
    idPoolOffset = 0;
  }
  idPool.copy(frame, offset, idPoolOffset, idPoolOffset + 16);
  idPoolOffset += 16;
  // Canonical byte 6 (version 4) is wire byte 14; canonical byte 8 (variant 10xx) is wire byte 0.
  frame[offset + 14] = (frame[offset + 14]! & 0x0f) | 0x40;
  frame[offset] = (frame[offset]! & 0x3f) | 0x80;
};

/** The header bytes every ack shares (all but CreatedDate, MessageId, PayloadDigest and PayloadLength). */
function headerTemplate(): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_SIZE);
  header.writeUInt32BE(HEADER_LENGTH, 0);
  header.fill(0x20, 4, 36);
  header.write(MessageType.Acknowledge, 4, 'ascii');
  header.writeUInt32BE(SCHEMA_VERSION, 36);
  header.writeUInt32BE(0, 48);
  header.writeUInt32BE(0, 52);
  header.writeUInt32BE(0, 56);
  header.writeUInt32BE(HeaderFlags.Ack, 60);
  header.writeUInt32BE(PayloadType.Unset, 112);
  return header;
}

const HEADER = headerTemplate();
const ID_FIELD = ',"AcknowledgedMessageId":"';
const SEQUENCE_FIELD = Buffer.from('","AcknowledgedMessageSequenceNumber":', 'latin1');
const SUFFIX = Buffer.from(',"IsSequentialMessage":true}', 'latin1');
const UUID_LENGTH = 36;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `{"AcknowledgedMessageType":<type>,"AcknowledgedMessageId":"` for one acknowledged type, cached. */
const prefixes = new Map<string, Buffer>();
function prefixFor(messageType: string): Buffer {
  let prefix = prefixes.get(messageType);
  if (!prefix) {
    prefix = Buffer.from(`{"AcknowledgedMessageType":${JSON.stringify(messageType)}${ID_FIELD}`, 'utf8');
    if (prefixes.size < 16) prefixes.set(messageType, prefix);
  }
  return prefix;
}

/**
 * The acknowledge message for `acked` (src/ssm/PROTOCOL.md §4.1), byte for byte what
 * `encodeClientMessage(newClientMessage({ messageType: 'acknowledge', flags: 3, payloadType: 0,
 * payload: encodeAcknowledgePayload(…) }))` produces, but written into one buffer from a template:
 * one of these goes back for every 1 KiB the agent sends, so it is the client's hottest encoder.
 * Ids that are not canonical lowercase UUIDs (never from our decoder) take JSON's general path.
 */
export function encodeAcknowledgeFrame(
  acked: AcknowledgedMessage,
  createdDate: number,
  writeId: MessageIdWriter = randomMessageId,
): Buffer {
  const prefix = prefixFor(acked.messageType);
  const wire = acked.frame;
  const plainId =
    wire !== undefined || (acked.messageId.length === UUID_LENGTH && UUID_PATTERN.test(acked.messageId));
  const id = wire || plainId ? '' : JSON.stringify(acked.messageId).slice(1, -1);
  const idBytes = plainId ? UUID_LENGTH : Buffer.byteLength(id, 'utf8');
  const sequence = String(acked.sequenceNumber);
  const payloadLength = prefix.length + idBytes + SEQUENCE_FIELD.length + sequence.length + SUFFIX.length;
  const frame = Buffer.allocUnsafe(FRAME_HEADER_SIZE + payloadLength);
  HEADER.copy(frame, 0);
  frame.writeUInt32BE(Math.floor(createdDate / TWO_POW_32), 40);
  frame.writeUInt32BE(createdDate % TWO_POW_32, 44);
  writeId(frame, 64);
  frame.writeUInt32BE(payloadLength, 116);
  let at = FRAME_HEADER_SIZE + prefix.copy(frame, FRAME_HEADER_SIZE);
  if (wire) writeMessageIdText(wire, MESSAGE_ID_OFFSET, frame, at);
  else if (plainId) frame.write(acked.messageId, at, 'latin1');
  else frame.write(id, at, 'utf8');
  at += idBytes;
  at += SEQUENCE_FIELD.copy(frame, at);
  at += frame.write(sequence, at, 'latin1');
  SUFFIX.copy(frame, at);
  writeSha256(frame.subarray(FRAME_HEADER_SIZE), frame, 80);
  return frame;
}
