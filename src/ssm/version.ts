/**
 * Four-part numeric versions ("3.3.987.0") and the thresholds both AWS peers use to pick features.
 * Comparisons with a malformed or non-4-part version count as "feature unsupported", as in the plugin.
 */
export type FourPartVersion = readonly [number, number, number, number];

export function parseFourPartVersion(text: string): FourPartVersion | undefined {
  const parts = text.trim().split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d+$/.test(part))) return undefined;
  const [a, b, c, d] = parts.map(Number);
  return [a, b, c, d];
}

/** Negative, zero or positive like a sort comparator; undefined when either side is not 4-part. */
export function compareVersions(left: string, right: string): number | undefined {
  const a = parseFourPartVersion(left);
  const b = parseFourPartVersion(right);
  if (!a || !b) return undefined;
  for (let i = 0; i < 4; i += 1) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return 0;
}

export function isVersionAbove(version: string, threshold: string): boolean {
  const order = compareVersions(version, threshold);
  return order !== undefined && order > 0;
}

/**
 * The ClientVersion we report in OpenDataChannel and the HandshakeResponse. It is the plugin release
 * whose data-channel behaviour this client implements, and it is deliberately above every agent-side
 * threshold we rely on:
 * - >= 1.1.70: the agent speaks smux for LocalPortForwarding (we implement the smux v1 client);
 * - > 1.2.331.0: the agent disables smux keepalive, so idle sessions can time out normally;
 * - > 1.2.295: no legacy-client warning.
 * Reporting a real release (rather than an invented larger one) keeps future agent features that are
 * gated on newer clients switched off until we implement them.
 */
export const CLIENT_VERSION = '1.2.650.0';

/** Agent-side thresholds the client honours (the agent decides its side independently). */
export const AgentThreshold = {
  /** Agents above this accept the TerminateSession flag. */
  terminateSessionFlag: '2.3.722.0',
  /** Agents above this use smux for LocalPortForwarding. */
  mux: '3.0.196.0',
  /** Agents above this disable smux keepalive; at or below it we must send NOPs. */
  smuxKeepaliveDisabled: '3.1.1511.0',
} as const;

export function agentSupportsTerminateFlag(agentVersion: string): boolean {
  return isVersionAbove(agentVersion, AgentThreshold.terminateSessionFlag);
}

export function agentUsesMux(agentVersion: string): boolean {
  return isVersionAbove(agentVersion, AgentThreshold.mux);
}

export function agentRequiresSmuxKeepalive(agentVersion: string): boolean {
  return agentUsesMux(agentVersion) && !isVersionAbove(agentVersion, AgentThreshold.smuxKeepaliveDisabled);
}
