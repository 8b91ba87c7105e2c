/** A cancellation flag both the extension (CancellationToken) and the CLI (SIGINT) can drive. */
export interface CancellationSignal {
  readonly cancelled: boolean;
  onCancel(listener: () => void): { dispose(): void };
}

export class CancellationSource implements CancellationSignal {
  private listeners = new Set<() => void>();
  cancelled = false;

  cancel(): void {
    if (this.cancelled) {
      return;
    }
    this.cancelled = true;
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
