import type { AgentBehaviour } from './agentBehaviour';
import type { AgentOutputPump } from './agentOutputPump';

/** Where the fake agent connects for a session: a local TCP endpoint chosen by the test's resolver. */
export interface TargetEndpoint {
  host: string;
  port: number;
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
