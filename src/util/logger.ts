/**
 * The one logging surface of the core. The extension backs it with a VS Code LogOutputChannel,
 * the CLI with stderr; tests with an in-memory sink. Secrets never reach a logger: callers log
 * names, ids and timings, not payloads.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export type LogLevel = keyof Logger;

export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
}

/** A logger that keeps what it was told; used by tests and by the CLI's --verbose buffering. */
export class MemoryLogger implements Logger {
  readonly entries: LogEntry[] = [];

  trace(message: string): void {
    this.entries.push({ level: 'trace', message });
  }
  debug(message: string): void {
    this.entries.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.entries.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.entries.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.entries.push({ level: 'error', message });
  }

  text(): string {
    return this.entries.map((e) => `[${e.level}] ${e.message}`).join('\n');
  }
}
