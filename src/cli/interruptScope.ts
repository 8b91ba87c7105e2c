import { CancellationSource } from '../util/sleep';
import type { CancellationSignal } from '../util/sleep';
import type { Logger } from '../util/logger';

/** The signals a terminal or a process manager sends to stop a command. */
const stopSignals = ['SIGINT', 'SIGTERM'] as const;
type StopSignal = (typeof stopSignals)[number];

/** 128 + the signal number, as shells report a command stopped by a signal. */
const exitCodes: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Ctrl-C (SIGINT) or SIGTERM during a command that creates temporary resources (a key object in
 * S3, a host half-written into the ssh config): the first signal cancels the work, so waits end
 * and each step's own rollback runs as the error unwinds; the command then exits with 130/143. A
 * second signal exits at once.
 */
export class InterruptScope {
  private readonly cancellation = new CancellationSource();
  private readonly handlers = new Map<StopSignal, () => void>();
  private received: StopSignal | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {
    for (const signal of stopSignals) {
      const handler = (): void => this.interrupt(signal);
      this.handlers.set(signal, handler);
      process.on(signal, handler);
    }
  }

  get signal(): CancellationSignal {
    return this.cancellation;
  }

  /** The exit status for the signal received (undefined when none was). */
  get exitCode(): number | undefined {
    return this.received && exitCodes[this.received];
  }

  /** Stops listening for the signals. */
  dispose(): void {
    for (const [signal, handler] of this.handlers) {
      process.off(signal, handler);
    }
    this.handlers.clear();
  }

  private interrupt(signal: StopSignal): void {
    if (this.received) {
      this.logger.warn('Stopped without cleaning up.');
      this.exit(exitCodes[signal]);
      return;
    }
    this.received = signal;
    this.logger.warn(`${signal}: cancelling and cleaning up (press Ctrl-C again to quit at once)…`);
    this.cancellation.cancel();
  }
}

/**
 * Runs a cancellable step in its own InterruptScope: its result, or the exit status of the signal
 * that stopped it (after the step's rollback ran). Other errors go through `translate`.
 */
export async function runInterruptible<T>(
  logger: Logger,
  translate: (error: unknown) => unknown,
  step: (signal: CancellationSignal) => Promise<T>,
): Promise<T | { readonly interrupted: number }> {
  const scope = new InterruptScope(logger);
  try {
    const result = await step(scope.signal);
    // Interrupted after the last point that could be cancelled: the result is complete and usable.
    return scope.exitCode === undefined ? result : { interrupted: scope.exitCode };
  } catch (error) {
    if (scope.exitCode !== undefined) {
      logger.warn('Interrupted; nothing was left behind.');
      return { interrupted: scope.exitCode };
    }
    throw translate(error);
  } finally {
    scope.dispose();
  }
}

/** Whether runInterruptible's step was stopped by a signal. */
export function wasInterrupted(result: unknown): result is { readonly interrupted: number } {
  return typeof result === 'object' && result !== null && 'interrupted' in result;
}

/** The signals that end a session or a forward: Ctrl-C, a process manager, a closed terminal. */
const endSignals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Calls `handler` on SIGINT, SIGTERM or SIGHUP; the returned function stops listening. */
export function onEndSignals(handler: () => void): () => void {
  for (const signal of endSignals) process.on(signal, handler);
  return () => {
    for (const signal of endSignals) process.off(signal, handler);
  };
}
