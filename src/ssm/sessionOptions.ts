import { randomUUID } from 'node:crypto';
import type { Logger } from '../util/logger';
import type { Clock } from './clock';
import type { UpgradeSigner } from './upgradeSigner';

/** What ResumeSession returned. The original StreamUrl is kept, as the AWS plugin does. */
export interface ResumedSession {
  tokenValue: string;
  streamUrl?: string;
}

export interface SessionTuning {
  /** Largest Output payload we send. The AWS peers use 1024; the service's limit is unknown. */
  maxPayloadSize: number;
  /** Unacknowledged messages allowed in flight before the local side is paused. */
  maxInFlight: number;
  handshakeTimeoutMs: number;
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  maxMissedPongs: number;
  reconnectInitialDelayMs: number;
  reconnectMaxDelayMs: number;
  /** How long to keep trying to resume a lost connection (the plugin gives up after about 5 s). */
  reconnectBudgetMs: number;
  retransmitGiveUpMs: number;
  /** Received bytes held for a consumer that has not attached yet before acks are withheld. */
  inboundHighWaterBytes: number;
  /** On a clean local end: how long to wait for our data to be acknowledged. */
  drainTimeoutMs: number;
  /** After a small read of the WebSocket, wait this long before the next (0: read at once). */
  readCoalesceMs: number;
  /**
   * Hold reads only while the agent streams (a small read came within readCoalesceMs of the one
   * before it), so a lone keystroke echo is never delayed. False: after every small read.
   */
  readCoalesceWhileStreaming: boolean;
  /** After readCoalesceSustainedAfterMs of streaming without a pause, hold reads this long (0: off). */
  readCoalesceSustainedMs: number;
  readCoalesceSustainedAfterMs: number;
}

export const defaultSessionTuning: Readonly<SessionTuning> = {
  maxPayloadSize: 1024,
  maxInFlight: 512,
  handshakeTimeoutMs: 30_000,
  connectTimeoutMs: 15_000,
  keepaliveIntervalMs: 30_000,
  maxMissedPongs: 2,
  reconnectInitialDelayMs: 100,
  reconnectMaxDelayMs: 5_000,
  reconnectBudgetMs: 120_000,
  retransmitGiveUpMs: 5 * 60_000,
  inboundHighWaterBytes: 4 * 1024 * 1024,
  drainTimeoutMs: 2_000,
  readCoalesceMs: 0,
  readCoalesceWhileStreaming: false,
  readCoalesceSustainedMs: 0,
  readCoalesceSustainedAfterMs: 0,
};

/**
 * Read coalescing for sessions that stream from a pacing agent (one 1 KiB message about every
 * millisecond): while the agent streams, reads wait 10 ms so one read and one write of acks carry
 * several messages; after 250 ms of streaming without a pause they wait about 160 ms (140–180: the
 * long holds of all sessions end together, sharedHoldTicks.ts). A read after a pause (a keystroke's
 * echo) is not held.
 *
 * Each hold ends in a cold start of the whole receive path (ws, streams, decode, acks, writes, the
 * timers), and that wake-up, not the messages, is most of a paced download's CPU: a one-session
 * `sm-ssh cp` took 42 ms/MiB with 80 ms holds and 32 with 160 (bench:transfer). No throughput is
 * lost: a paced download, scp through the ProxyCommand and `sm-ssh cp` run at the agent's pace either
 * way, because AWS's agent does not wait for acks (its outgoing buffer holds 100,000 messages). It
 * resends its oldest unacknowledged message when that is older than RTO = SRTT + max(10 ms, 4 ×
 * RTTVAR), at most 1 s, checked every 100 ms (agent/session/datachannel). With acks 0–180 ms late,
 * SRTT and RTTVAR settle near 80 and 40 ms: an RTO near 240 ms, above the longest wait. A resend that
 * still comes is acked as a duplicate: about 0.3 % of messages at 160 ms, 2 % at 240.
 */
export const STREAMING_READ_COALESCING: Readonly<
  Pick<
    SessionTuning,
    | 'readCoalesceMs'
    | 'readCoalesceWhileStreaming'
    | 'readCoalesceSustainedMs'
    | 'readCoalesceSustainedAfterMs'
  >
> = {
  readCoalesceMs: 10,
  readCoalesceWhileStreaming: true,
  readCoalesceSustainedMs: 160,
  readCoalesceSustainedAfterMs: 250,
};

/**
 * Which sessions the caller can run: `port` (the AWS-Start*Session documents) or `shell` (the
 * default SSM-SessionManagerRunShell and the other shell-type documents). The client refuses the
 * other kind in the handshake, so a port runner never gets a shell's bytes.
 */
export type SessionKind = 'port' | 'shell';

export interface OpenSessionOptions {
  sessionId: string;
  /** Default `port`. */
  kind?: SessionKind;
  streamUrl: string;
  tokenValue: string;
  /** Calls ResumeSession. Without it a lost connection is retried with the last token. */
  resume?: () => Promise<ResumedSession>;
  /** Calls TerminateSession when the session ends from our side. */
  terminate?: () => Promise<void>;
  /** Signs the WebSocket upgrade; skipped for presigned StreamUrls. */
  signer?: UpgradeSigner;
  log?: Logger;
  /** Defaults to one random id per process, reused across reconnects. */
  clientId?: string;
  /** Defaults to CLIENT_VERSION; it decides the agent's mux and keepalive behaviour. */
  clientVersion?: string;
  tuning?: Partial<SessionTuning>;
  clock?: Clock;
}

export const processClientId: string = randomUUID();
