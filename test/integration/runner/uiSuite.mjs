// Runs the UI tests (mocha in this Node process, driving the workbench page) against a workbench that has the
// extension loaded. Tests reach the page through test/integration/ui/workbench.ts (a globalThis slot).
import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import Mocha from 'mocha';
import { waitForWorkbench, workbenchUrl } from './browser.mjs';
import { hostPayload } from './hostSuite.mjs';
import { statsReporter, testResultsDir } from './paths.mjs';

const workbenchSlot = Symbol.for('sagemaker-ssh.ui-workbench');
const require = createRequire(import.meta.url);

/** Tests under demo/ need the demo's environment (run.mjs --demo) and run only there; the others never do. */
function uiTestFiles(dir, demo) {
  let names;
  try {
    names = readdirSync(dir, { recursive: true });
  } catch {
    names = [];
  }
  const inDemoDir = (name) => name.split(path.sep)[0] === 'demo';
  return names
    .filter((name) => name.endsWith('.test.js') && inDemoDir(name) === Boolean(demo))
    .sort()
    .map((name) => path.join(dir, name));
}

async function screenshot(page, name) {
  await mkdir(testResultsDir, { recursive: true });
  const file = path.join(testResultsDir, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`      [screenshot] ${path.relative(process.cwd(), file)}`);
  return file;
}

/**
 * @param {{ page: import('playwright-core').Page, server: {origin: string, port: number}, sandbox: object,
 *   folder: string, extensionPath: string, vsix?: string, testsDir: string }} options
 * @returns {Promise<number>} 0 when every UI test passed
 */
export async function runUiTests({ page, server, sandbox, folder, extensionPath, vsix, testsDir, demo }) {
  const files = uiTestFiles(testsDir, demo);
  if (files.length === 0)
    throw new Error(`no UI tests (*.test.js) under ${testsDir}: compile first (npx tsc -p .)`);

  const hostLog = [];
  await page.exposeFunction('codeAutomationLog', (level, message) => {
    hostLog.push(`[${level}] ${message}`);
    if (level === 'error') console.error(`[workbench] ${message}`);
  });
  const url = workbenchUrl({
    origin: server.origin,
    folder,
    payload: hostPayload({ port: server.port, extensionPath, vsix }),
  });
  console.log(`[runner] opening ${url}`);
  await page.goto(url);
  await waitForWorkbench(page);

  globalThis[workbenchSlot] = {
    page,
    origin: server.origin,
    port: server.port,
    workspace: folder,
    extensionPath,
    sandboxHome: sandbox.home,
    demo,
    hostLog,
    screenshot: (name) => screenshot(page, name),
  };
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    reporter: require(statsReporter),
    rootHooks: {
      async afterEach() {
        if (this.currentTest?.state !== 'failed') return;
        const slug = this.currentTest
          .fullTitle()
          .replace(/[^a-z0-9]+/gi, '-')
          .toLowerCase()
          .slice(0, 80);
        await screenshot(page, `ui-failure-${slug}`).catch(() => {});
      },
    },
  });
  for (const file of files) mocha.addFile(file);
  try {
    await mocha.loadFilesAsync();
    const failures = await new Promise((resolve) => mocha.run(resolve));
    return failures === 0 ? 0 : 1;
  } finally {
    delete globalThis[workbenchSlot];
    mocha.dispose();
  }
}
