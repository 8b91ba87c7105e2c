/** What a transfer reports as it goes. */
export interface TransferProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly filesDone: number;
  readonly filesTotal: number;
}

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1.5 MiB`, `512 B`: binary units, one decimal from KiB on. */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `3.2 MB/s` (decimal megabytes, as network rates are usually given). */
export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '– MB/s';
  return `${(bytesPerSecond / 1e6).toFixed(bytesPerSecond >= 1e7 ? 0 : 1)} MB/s`;
}

/** `1:05`, `1:02:03`, or `–` when unknown. */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

interface Sample {
  readonly at: number;
  readonly bytes: number;
}

/**
 * Rate over a sliding window (so a stall shows quickly) and the ETA from it. `now` is in
 * milliseconds; the caller passes its clock so tests need no timers.
 */
export class RateMeter {
  private readonly samples: Sample[] = [];

  constructor(private readonly windowMs = 5_000) {}

  add(now: number, bytesDone: number): void {
    this.samples.push({ at: now, bytes: bytesDone });
    while (this.samples.length > 2 && now - this.samples[1]!.at >= this.windowMs) this.samples.shift();
  }

  /** Bytes per second over the window; 0 until two samples are apart in time. */
  rate(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at <= first.at) return 0;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }

  /** Seconds left for `bytesTotal`, undefined while the rate is unknown. */
  eta(bytesTotal: number): number | undefined {
    const rate = this.rate();
    const last = this.samples.at(-1);
    if (!last || rate <= 0) return undefined;
    return Math.max(0, bytesTotal - last.bytes) / rate;
  }
}

/** `45.0 MiB / 256.0 MiB  17%  3.2 MB/s  ETA 1:05` (plus the file count for folders). */
export function progressLine(progress: TransferProgress, rate: number, eta: number | undefined): string {
  const percent =
    progress.bytesTotal > 0 ? Math.floor((progress.bytesDone * 100) / progress.bytesTotal) : 100;
  const files = progress.filesTotal > 1 ? `  ${progress.filesDone}/${progress.filesTotal} files` : '';
  return (
    `${formatBytes(progress.bytesDone)} / ${formatBytes(progress.bytesTotal)}  ${percent}%  ` +
    `${formatRate(rate)}  ETA ${formatEta(eta)}${files}`
  );
}

/** The one-line summary: `copied 256.0 MiB (1 file) in 0:31, 8.6 MB/s over 8 sessions`. */
export function summaryLine(progress: TransferProgress, elapsedMs: number, sessions: number): string {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? progress.bytesDone / seconds : 0;
  const files = `${progress.filesDone} file${progress.filesDone === 1 ? '' : 's'}`;
  return (
    `copied ${formatBytes(progress.bytesDone)} (${files}) in ${formatEta(seconds)}, ${formatRate(rate)} ` +
    `over ${sessions} session${sessions === 1 ? '' : 's'}`
  );
}

/** What a progress display shows after an update: the line, the percentage and its growth since the last. */
export interface ProgressView {
  readonly line: string;
  readonly percent: number;
  /** Percentage points gained since the previous view (never negative: a retried stripe does not go back). */
  readonly increment: number;
}

/**
 * The progress maths every display shares (the CLI's redrawn line, VS Code's notification): rate and
 * ETA over a sliding window, the percentage and the increment VS Code's progress API wants.
 */
export class ProgressTracker {
  private readonly meter: RateMeter;
  private shownPercent = 0;

  constructor(windowMs?: number) {
    this.meter = new RateMeter(windowMs);
  }

  /** `now` in milliseconds (the caller's clock). */
  update(progress: TransferProgress, now: number): ProgressView {
    this.meter.add(now, progress.bytesDone);
    const percent =
      progress.bytesTotal > 0
        ? Math.min(100, Math.floor((progress.bytesDone * 100) / progress.bytesTotal))
        : 0;
    const increment = Math.max(0, percent - this.shownPercent);
    this.shownPercent += increment;
    return {
      line: progressLine(progress, this.meter.rate(), this.meter.eta(progress.bytesTotal)),
      percent,
      increment,
    };
  }
}
