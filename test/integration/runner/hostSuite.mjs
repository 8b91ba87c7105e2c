// Runs a mocha `run()` entry inside the real (remote) extension host and returns the host's exit code.
import { mkdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { format } from 'node:util';
import { remoteUri, workbenchUrl } from './browser.mjs';

// Workbench chatter that comes through the same channel as the extension host's console (mocha's output).
const workbenchNoise = [
  /^Resolving connection token/,
  /^Resolved connection token/,
  /^Creating a socket/,
  /^\[Service Worker\]/,
  /^Updating additional builtin extensions cache/,
  /^ChatSessionStore:/,
  /ECONNREFUSED 127\.0\.0\.1:9\b/, // the disabled extension gallery
];
const ansi = /\u001b\[[0-9;]*m/g;

/** Prints one forwarded log entry (`args` are console arguments, format string first). */
export function printHostLog(level, args) {
  let text = Array.isArray(args) ? format(...args) : String(args);
  const verbose = process.env.RUNNER_VERBOSE === '1';
  if (!verbose && (level === 'trace' || level === 'debug' || workbenchNoise.some((re) => re.test(text))))
    return;
  if (!process.stdout.isTTY) text = text.replace(ansi, '');
  if (level === 'error' || level === 'warn') console.error(text);
  else console.log(text);
}

async function saveHostLogs(sandbox, logs) {
  if (!Array.isArray(logs)) return;
  for (const { relativePath, contents } of logs) {
    const file = path.join(sandbox.root, 'workbench-logs', relativePath);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, contents);
  }
}

/**
 * The extension-host payload: development mode from `extensionPath`, plus the tests entry when given.
 * With a .vsix the extension is installed instead; the workbench still only runs extensionTestsPath in
 * extension-development mode, so an empty development folder is passed.
 */
export function hostPayload({ port, extensionPath, suitePath, vsix, sandbox }) {
  const payload = [];
  if (!vsix) payload.push(['extensionDevelopmentPath', remoteUri(port, extensionPath)]);
  if (suitePath) {
    if (vsix) {
      const placeholder = path.join(sandbox.root, 'no-development-extension');
      mkdirSync(placeholder, { recursive: true });
      payload.push(['extensionDevelopmentPath', remoteUri(port, placeholder)]);
    }
    payload.push(['extensionTestsPath', remoteUri(port, suitePath)]);
  }
  return payload;
}

/**
 * @param {{ page: import('playwright-core').Page, server: {origin: string, port: number}, sandbox: object,
 *   folder: string, extensionPath: string, suitePath: string, vsix?: string, timeoutMs: number }} options
 * @returns {Promise<number>} the extension host's exit code (1 on timeout)
 */
export async function runHostSuite({
  page,
  server,
  sandbox,
  folder,
  extensionPath,
  suitePath,
  vsix,
  timeoutMs,
}) {
  let reportExit;
  const exited = new Promise((resolve) => (reportExit = resolve));
  await page.exposeFunction('codeAutomationLog', printHostLog);
  await page.exposeFunction('codeAutomationExit', async (code, logs) => {
    await saveHostLogs(sandbox, logs).catch(() => {});
    reportExit(Number(code));
  });
  page.on('pageerror', (error) => console.error(`[runner] workbench page error: ${error.message}`));

  const payload = hostPayload({ port: server.port, extensionPath, suitePath, vsix, sandbox });
  const url = workbenchUrl({ origin: server.origin, folder, payload });
  console.log(`[runner] opening ${url}`);
  await page.goto(url);

  let timer;
  const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const outcome = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    console.error(`[runner] the extension host did not finish within ${timeoutMs / 1000} s`);
    return 1;
  }
  console.log(`[runner] extension host test run exit code: ${outcome}`);
  return outcome;
}
