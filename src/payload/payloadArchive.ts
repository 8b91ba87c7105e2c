import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { readPayloadFiles } from './copyPayload';
import type { PayloadLocation } from './payloadLocation';
import { PAYLOAD_PACKAGE, locatePayload } from './payloadLocation';

export interface PayloadArchive {
  /** sagemaker_ssh_helper/ as a gzip-compressed tar. */
  readonly bytes: Buffer;
  /** Hex SHA-256 of `bytes`: the lifecycle configuration refuses anything else. */
  readonly sha256: string;
}

const BLOCK = 512;
// A fixed time, so that the same payload always gives the same archive and S3 key.
const MTIME = 1_700_000_000;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, mode: number, size: number, type: '0' | '5'): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(mode, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(MTIME, 12), 136, 'ascii');
  block.write(' '.repeat(8), 148, 'ascii');
  block.write(type, 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  block.write('root', 265, 'ascii');
  block.write('root', 297, 'ascii');
  let checksum = 0;
  for (const byte of block) {
    checksum += byte;
  }
  block.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The payload package as a deterministic tar.gz (ustar, root-owned, fixed times, sorted names). */
export async function payloadArchive(payload: PayloadLocation = locatePayload()): Promise<PayloadArchive> {
  const files = await readPayloadFiles(payload);
  const parts: Buffer[] = [header(`${PAYLOAD_PACKAGE}/`, 0o755, 0, '5')];
  for (const file of files) {
    parts.push(header(`${PAYLOAD_PACKAGE}/${file.name}`, file.mode, file.content.length, '0'));
    parts.push(file.content, padding(file.content.length));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  const bytes = gzipSync(Buffer.concat(parts), { level: 9 });
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
