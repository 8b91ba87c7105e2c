import type { PortSessionProperties } from './port-session-properties';
import { isLocalPortForwarding } from './port-session-properties';
import { agentUsesMux } from './version';

/**
 * How the bytes of a Port session are framed, decided from the handshake the way the agent decides
 * its side: `stream` for documents without `type` (AWS-StartSSHSession), `mux` (smux v1) for
 * LocalPortForwarding on agents that speak it, `basic` (one raw connection at a time) otherwise.
 */
export type SessionMode = 'stream' | 'basic' | 'mux';

export function sessionModeOf(properties: PortSessionProperties, agentVersion: string): SessionMode {
  if (!isLocalPortForwarding(properties)) return 'stream';
  return agentUsesMux(agentVersion) ? 'mux' : 'basic';
}
