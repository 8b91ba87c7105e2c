/** Produces extra headers for the data-channel WebSocket upgrade (for example a SigV4 signature). */
export interface UpgradeSigner {
  signUpgrade(streamUrl: string): Promise<Record<string, string>>;
}

const PRESIGN_PARAMETERS = [
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-signedheaders',
  'x-amz-signature',
  'x-amz-security-token',
];

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A StreamUrl that already carries a query-string signature is neither re-signed nor resumed. */
export function isPresignedStreamUrl(streamUrl: string): boolean {
  const query = streamUrl.includes('?') ? streamUrl.slice(streamUrl.indexOf('?') + 1) : '';
  return query
    .split('&')
    .map((pair) => safeDecode(pair.split('=')[0] ?? '').toLowerCase())
    .some((name) => PRESIGN_PARAMETERS.includes(name));
}
