import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TestingApi } from '../../../src/extension';
import { extensionId } from './testingApi';

const MAX_LINES = 80;
/** "2026-12-07 06:04:36.889 [info] …": VS Code's log line, stamped in local time. */
const STAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) /;

function stampOf(line: string): number | undefined {
  const match = STAMP.exec(line);
  return match ? new Date(`${match[1]}T${match[2]}`).getTime() : undefined;
}

/**
 * The extension's log lines written since `sinceMs` (a line without a stamp continues the one before),
 * at most the last MAX_LINES: what a failed test prints, so a CI log shows what the extension did.
 */
export function extensionLogSince(sinceMs: number): string[] {
  const api = vscode.extensions.getExtension<TestingApi | undefined>(extensionId)?.exports;
  if (!api?.logDirectory || !fs.existsSync(api.logDirectory)) return [];
  const lines: string[] = [];
  for (const name of fs.readdirSync(api.logDirectory).filter((n) => n.endsWith('.log'))) {
    let keep = false;
    for (const line of fs.readFileSync(path.join(api.logDirectory, name), 'utf8').split('\n')) {
      const stamp = stampOf(line);
      if (stamp !== undefined) keep = stamp >= sinceMs - 1000;
      if (keep && line) lines.push(line);
    }
  }
  return lines.slice(-MAX_LINES);
}
