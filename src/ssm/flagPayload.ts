import type { FlagCodeValue } from './protocolConstants';
import { PayloadParseError } from './sessionErrors';

export function encodeFlagPayload(flag: FlagCodeValue): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(flag, 0);
  return payload;
}

export function parseFlagPayload(payload: Buffer): number {
  if (payload.length < 4) {
    throw new PayloadParseError('flag', `${payload.length} bytes is shorter than the 4-byte flag code`);
  }
  return payload.readUInt32BE(0);
}
