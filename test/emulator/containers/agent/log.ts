// Stand-in agent: the demo's fallback without shared/peers (demoEnvironment.mjs); tested by runtime, network.
import { appendFileSync, mkdirSync } from 'node:fs';

const LOG_DIR = '/var/log/amazon/ssm';
const LOG_FILE = `${LOG_DIR}/amazon-ssm-agent.log`;

function timestamp(): string {
  return new Date().toISOString().replace('T', ' ').slice(0, 19);
}

/** Prints a line the way the agent does (`2024-06-01 12:00:00 INFO ...`) and appends it to the agent log. */
export function agentLog(level: 'INFO' | 'WARN' | 'ERROR', message: string): void {
  const line = `${timestamp()} ${level} ${message}\n`;
  (level === 'ERROR' ? process.stderr : process.stdout).write(line);
  try {
    mkdirSync(LOG_DIR, { recursive: true });
    appendFileSync(LOG_FILE, line);
  } catch {
    // The log file is a convenience; the line is already on stdout/stderr.
  }
}
