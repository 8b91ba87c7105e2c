/**
 * Payloads of shell sessions. Size: JSON `{"cols":n,"rows":n}` (agent/session/contracts/model.go
 * SizeData; the plugin's shellsession.go sends it at start and on every change). ExitCode: the
 * text `EXIT_CODE: <n>` (agent/session/shell/shell.go sendExitCode), sent only by
 * NonInteractiveCommands sessions with separate output streams, never by an interactive shell.
 */
export function encodeSizePayload(cols: number, rows: number): Buffer {
  return Buffer.from(JSON.stringify({ cols: clampDimension(cols), rows: clampDimension(rows) }), 'utf8');
}

/** The agent unmarshals into uint32; a terminal reports small positive integers. */
function clampDimension(value: number): number {
  if (!Number.isFinite(value) || value < 1) return 1;
  return Math.min(Math.floor(value), 65_535);
}

export function parseExitCodePayload(payload: Buffer): number | undefined {
  const match = /^EXIT_CODE:\s*(-?\d+)\s*$/.exec(payload.toString('utf8'));
  return match ? Number(match[1]) : undefined;
}
