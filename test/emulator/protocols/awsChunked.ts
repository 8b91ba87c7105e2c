/**
 * Decoder for `Content-Encoding: aws-chunked` bodies, which current S3 clients send when they
 * stream an upload with a trailing checksum:
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=<sig>]\r\n
 *   <trailer-name>:<value>\r\n ... \r\n
 */

export interface ChunkedPayload {
  readonly body: Buffer;
  /** Trailing headers by lowercase name (e.g. x-amz-checksum-crc32). */
  readonly trailers: ReadonlyMap<string, string>;
}

export class ChunkedEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChunkedEncodingError';
  }
}

const CRLF = Buffer.from('\r\n');

export function decodeAwsChunked(raw: Buffer): ChunkedPayload {
  const chunks: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf(CRLF, offset);
    if (lineEnd === -1) throw new ChunkedEncodingError('chunk header is not terminated by CRLF');
    const header = raw.subarray(offset, lineEnd).toString('latin1');
    const sizeText = header.split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText))
      throw new ChunkedEncodingError(`invalid chunk size ${JSON.stringify(sizeText)}`);
    const size = parseInt(sizeText, 16);
    offset = lineEnd + 2;
    if (size === 0) break;
    if (offset + size + 2 > raw.length)
      throw new ChunkedEncodingError('chunk is shorter than its declared size');
    chunks.push(raw.subarray(offset, offset + size));
    offset += size;
    if (!raw.subarray(offset, offset + 2).equals(CRLF))
      throw new ChunkedEncodingError('chunk data is not followed by CRLF');
    offset += 2;
  }
  return { body: Buffer.concat(chunks), trailers: parseTrailers(raw.subarray(offset).toString('latin1')) };
}

function parseTrailers(text: string): Map<string, string> {
  const trailers = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new ChunkedEncodingError(`malformed trailer ${JSON.stringify(line)}`);
    trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return trailers;
}
