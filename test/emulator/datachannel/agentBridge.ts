// Fake agent (unit tests, bench-tunnel, stand-in containers): how its session reaches the target port.
import { connect, type Socket } from 'node:net';
import type { AgentBehaviour } from './agentBehaviour';
import type { AgentOutputPump } from './agentOutputPump';

/**
 * Where the fake agent connects for a session, chosen by the test's resolver: a local TCP endpoint,
 * or a dialer for one not on the host's network (a simulated container's port, through its bridge).
 */
export type TargetEndpoint =
  { readonly host: string; readonly port: number } | { readonly name: string; readonly dial: () => Socket };

/** Opens a connection to the session's target. */
export function dialTarget(endpoint: TargetEndpoint): Socket {
  return 'dial' in endpoint
    ? endpoint.dial()
    : connect({ host: endpoint.host, port: endpoint.port, noDelay: true });
}

/** `host:port`, or the dialer's name: for error messages. */
export function targetName(endpoint: TargetEndpoint): string {
  return 'dial' in endpoint ? endpoint.name : `${endpoint.host}:${endpoint.port}`;
}

/** What a bridge needs from its agent session. */
export interface BridgeHost {
  readonly sessionId: string;
  readonly pump: AgentOutputPump;
  /** undefined when the resolver refuses (the dial then fails as "connection refused"). */
  endpoint(): TargetEndpoint | undefined;
  /** The agent ends the session: drain, channel_closed, close. */
  endSession(output: string): void;
  /** Readiness for client Output changed; deliver what is buffered. */
  deliverBuffered(): void;
  record(violation: string): void;
  behaviour(): AgentBehaviour;
}

/** The agent's port plugin in one of its modes. */
export interface AgentBridge {
  start(): void;
  /** `deliver` now, `hold` (busy: ack and keep), or `refuse` (no target connection: no ack). */
  admitOutput(): 'deliver' | 'hold' | 'refuse';
  onClientOutput(data: Buffer): void;
  onFlag(code: number): void;
  close(): void;
}
