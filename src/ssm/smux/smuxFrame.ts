/** smux protocol version 1 framing (xtaci/smux), as both AWS peers use it inside Output payloads. */
export const SMUX_VERSION = 1;
export const SMUX_HEADER_SIZE = 8;
/** The default MaxFrameSize: PSH data is split at this size. */
export const SMUX_MAX_FRAME_DATA = 32 * 1024;

export const SmuxCommand = {
  Syn: 0,
  Fin: 1,
  Psh: 2,
  Nop: 3,
  Upd: 4,
} as const;
export type SmuxCommandValue = (typeof SmuxCommand)[keyof typeof SmuxCommand];

export interface SmuxFrame {
  version: number;
  command: number;
  streamId: number;
  data: Buffer;
}

const EMPTY = Buffer.alloc(0);

/** Header fields are little-endian: version u8, cmd u8, length u16, stream id u32. */
export function encodeSmuxFrame(command: SmuxCommandValue, streamId: number, data: Buffer = EMPTY): Buffer {
  if (data.length > 0xffff) throw new RangeError(`smux frame data of ${data.length} bytes exceeds 65535`);
  const frame = Buffer.allocUnsafe(SMUX_HEADER_SIZE + data.length);
  frame.writeUInt8(SMUX_VERSION, 0);
  frame.writeUInt8(command, 1);
  frame.writeUInt16LE(data.length, 2);
  frame.writeUInt32LE(streamId, 4);
  data.copy(frame, SMUX_HEADER_SIZE);
  return frame;
}

/** PSH frames for `data`, each carrying at most SMUX_MAX_FRAME_DATA bytes. */
export function encodeSmuxData(streamId: number, data: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += SMUX_MAX_FRAME_DATA) {
    frames.push(
      encodeSmuxFrame(SmuxCommand.Psh, streamId, data.subarray(offset, offset + SMUX_MAX_FRAME_DATA)),
    );
  }
  return frames;
}
