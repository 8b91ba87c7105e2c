// Fake agent's knobs (unit tests, bench-tunnel): old versions, faults, strictness, no pacing; AWS's has none.
import type { RetransmitPolicy } from './agentReliability';
import type { TypePadding } from './agentWire';
import type { DirectionFaults } from './faultInjector';

export type DisconnectMode =
  /** Close with 1000 "Bye", as the service does about every hour. */
  | 'bye'
  /** Drop the TCP connection without a close frame. */
  | 'terminate'
  /** Keep the socket open but stop delivering anything, pongs included (a dead path). */
  | 'silent';

export interface DisconnectTrigger {
  mode: DisconnectMode;
  /** Drop the client connection after this many agent stream messages (and every further multiple). */
  afterAgentMessages?: number;
  /** How many times to trigger; default 1. */
  times?: number;
}

/** How the fake agent (and the service in front of it) behaves for one session. Mutable mid-session. */
export interface AgentBehaviour {
  /** 4-part version; decides basic/mux and keepalive on the client side. */
  agentVersion: string;
  /** Bytes per Output message. */
  readSize: number;
  /** Sleep 1 ms after each message (the real agent's rate limit). */
  pacing: boolean;
  /** Messages in flight before target sockets are paused (the real agent has no such window). */
  maxInFlight: number;
  retransmit: RetransmitPolicy;
  /** Record (and fail the test on) every client protocol violation. */
  strict: boolean;
  seed: number;
  toClient?: DirectionFaults;
  toAgent?: DirectionFaults;
  corruptDigestPercent: number;
  typePadding: TypePadding;
  disconnect?: DisconnectTrigger;
  /** Never send HandshakeComplete (to test the client's give-up). */
  withholdHandshakeComplete: boolean;
  /** Close the mux session if no smux frame arrives for this long (old agents, issue #83). */
  enforceSmuxKeepaliveMs?: number;
}

export const defaultAgentBehaviour: Readonly<AgentBehaviour> = {
  agentVersion: '3.3.1802.0',
  readSize: 1024,
  pacing: false,
  maxInFlight: 512,
  retransmit: 'all-expired',
  strict: true,
  seed: 1,
  corruptDigestPercent: 0,
  typePadding: 'space-right',
  withholdHandshakeComplete: false,
};
