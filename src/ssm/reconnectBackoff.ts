/** Delays between reconnect attempts: random start, doubling, capped, within an overall budget. */
export interface BackoffPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Give up once the next attempt would start later than this after the connection was lost. */
  budgetMs: number;
}

export class ReconnectBackoff {
  private nextDelay: number;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {
    this.nextDelay = policy.initialDelayMs * (1 + this.random());
  }

  /** The delay before the next attempt, or undefined when the budget is spent. */
  next(elapsedMs: number): number | undefined {
    const delay = Math.min(this.nextDelay, this.policy.maxDelayMs);
    if (elapsedMs + delay > this.policy.budgetMs) return undefined;
    this.nextDelay = Math.min(this.nextDelay * 2, this.policy.maxDelayMs);
    return delay;
  }
}
