import { errorName } from './errors';

/** A cancellation flag both the extension (CancellationToken) and the CLI (SIGINT) can drive. */
export interface CancellationSignal {
  readonly cancelled: boolean;
  onCancel(listener: () => void): { dispose(): void };
  /** Aborted on cancel: pass it to SDK calls (`send(command, { abortSignal })`) to stop one in flight. */
  readonly abortSignal: AbortSignal;
}

export class CancellationSource implements CancellationSignal {
  private listeners = new Set<() => void>();
  private readonly controller = new AbortController();
  cancelled = false;

  get abortSignal(): AbortSignal {
    return this.controller.signal;
  }

  cancel(): void {
    if (this.cancelled) {
      return;
    }
    this.cancelled = true;
    this.controller.abort();
    for (const listener of this.listeners) {
      listener();
    }
    this.listeners.clear();
  }

  onCancel(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}

/** Waits, waking early (without throwing) when the signal is cancelled. */
export function sleep(ms: number, signal?: CancellationSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const subscription = signal?.onCancel(done);
    function done(): void {
      clearTimeout(timer);
      subscription?.dispose();
      resolve();
    }
  });
}

/** The SDK `send` options that let `signal` abort the call in flight (none without a signal). */
export function abortable(signal: CancellationSignal | undefined): { abortSignal?: AbortSignal } {
  return signal ? { abortSignal: signal.abortSignal } : {};
}

/** True when `error` is the SDK's rejection of a call that `signal` aborted. */
export function wasAborted(error: unknown, signal: CancellationSignal | undefined): boolean {
  return signal?.cancelled === true && errorName(error) === 'AbortError';
}
