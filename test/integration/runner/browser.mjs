// Headless Debian chromium (driven by playwright-core) as the VS Code "window", allowed to reach only code-server.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { chromiumPath } from './paths.mjs';

const chromiumArgs = [
  '--no-sandbox', // we run as root in CI
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-extensions',
  '--metrics-recording-only',
  '--no-default-browser-check',
];

export class ChromiumMissingError extends Error {
  constructor() {
    super(
      `chromium not found at ${chromiumPath}. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
    this.name = 'ChromiumMissingError';
  }
}

/** `vscode-remote://` URI the workbench resolves on the code-server side. */
export function remoteUri(port, absolutePath) {
  return `vscode-remote://127.0.0.1:${port}${absolutePath}`;
}

/**
 * The workbench URL: `?folder=` opens a workspace; `?payload=[[key, value], ...]` carries
 * extensionDevelopmentPath / extensionTestsPath (and debugging keys such as inspect-extensions).
 * EXTRA_PAYLOAD='[["inspect-extensions","9229"]]' adds entries for debugging.
 */
export function workbenchUrl({ origin, folder, payload = [] }) {
  const extra = process.env.EXTRA_PAYLOAD ? JSON.parse(process.env.EXTRA_PAYLOAD) : [];
  const query = new URLSearchParams({ folder });
  const entries = [...payload, ...extra];
  if (entries.length > 0) query.set('payload', JSON.stringify(entries));
  return `${origin}/?${query}`;
}

/**
 * @param {{ sandbox: object, origin: string }} options
 * @returns {Promise<{ browser: import('playwright-core').Browser, page: import('playwright-core').Page, blocked: string[], close: () => Promise<void> }>}
 */
export async function launchBrowser({ sandbox, origin }) {
  if (!existsSync(chromiumPath)) throw new ChromiumMissingError();
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...sandbox.env() },
    // The caller owns signal handling and cleanup order.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    serviceWorkers: 'block',
  });
  const blocked = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:')) {
      return route.continue();
    }
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  return {
    browser,
    page,
    blocked,
    async close() {
      await browser.close().catch(() => {});
    },
  };
}

/** Resolves once the workbench has rendered its activity bar (the shell is up, extensions may still load). */
export async function waitForWorkbench(page, timeoutMs = 60_000) {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
}

export function reportBlocked(blocked) {
  if (blocked.length === 0) {
    console.log('[runner] browser requests blocked: none');
    return;
  }
  console.log(`[runner] browser requests blocked (${blocked.length}):`);
  for (const url of new Set(blocked)) console.log(`[runner]   ${url}`);
}
