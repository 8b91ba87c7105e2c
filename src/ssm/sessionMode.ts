import type { PortSessionProperties } from './portSessionProperties';
import { isLocalPortForwarding } from './portSessionProperties';
import { agentUsesMux } from './version';

/**
 * `shell` for shell-type sessions (keystrokes and terminal size in, terminal output out). How the
 * bytes of a Port session are framed, decided from the handshake the way the agent decides
 * its side: `stream` for documents without `type` (AWS-StartSSHSession), `mux` (smux v1) for
 * LocalPortForwarding on agents that speak it, `basic` (one raw connection at a time) otherwise.
 */
export type SessionMode = 'stream' | 'basic' | 'mux' | 'shell';

/** Session types the AWS plugin runs with its shell handler (`datachannel/streaming.go`). */
export const SHELL_SESSION_TYPES: ReadonlySet<string> = new Set([
  'Standard_Stream',
  'InteractiveCommands',
  'NonInteractiveCommands',
]);

export function sessionModeOf(
  sessionType: string,
  properties: PortSessionProperties,
  agentVersion: string,
): SessionMode {
  if (SHELL_SESSION_TYPES.has(sessionType)) return 'shell';
  if (!isLocalPortForwarding(properties)) return 'stream';
  return agentUsesMux(agentVersion) ? 'mux' : 'basic';
}
