import type { Logger, LogLevel } from '../util/logger';

const ORDER: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

export function parseLogLevel(text: string | undefined): LogLevel | undefined {
  const value = text?.trim().toLowerCase();
  return ORDER.find((level) => level === value);
}

/** The CLI's logger: everything on stderr (stdout carries only tunnel bytes), from `minimum` up. */
export function createStderrLogger(
  minimum: LogLevel,
  write: (text: string) => void = (t) => process.stderr.write(t),
): Logger {
  const threshold = ORDER.indexOf(minimum);
  const at =
    (level: LogLevel) =>
    (message: string): void => {
      if (ORDER.indexOf(level) < threshold) return;
      const prefix = level === 'info' ? '' : `[${level}] `;
      write(`${prefix}${message}\n`);
    };
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
