import type { Logger, LogLevel } from '../util/logger';
import { UsageError } from './cliErrors';

const ORDER: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

export function parseLogLevel(text: string | undefined): LogLevel | undefined {
  const value = text?.trim().toLowerCase();
  return ORDER.find((level) => level === value);
}

/**
 * The level every command logs at: --log-level (or -v, which callers pass as 'debug'), else
 * SM_SSH_LOG_LEVEL, else the command's default. A level that is neither is a usage error.
 */
export function logLevelOf(
  requested: string | undefined,
  env: NodeJS.ProcessEnv,
  fallback: LogLevel,
): LogLevel {
  const text = requested ?? env.SM_SSH_LOG_LEVEL;
  if (text === undefined || text === '') return fallback;
  const level = parseLogLevel(text);
  if (!level) throw new UsageError(`Unknown log level "${text}" (use trace, debug, info, warn or error).`);
  return level;
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
