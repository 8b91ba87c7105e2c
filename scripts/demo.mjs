#!/usr/bin/env node
// `npm run demo`: the extension in a real VS Code (code-server on 127.0.0.1, development mode) talking to the local
// AWS emulator with the demo scenario, through an ordinary AWS profile `demo` in a throwaway HOME.
//
//   npm run demo                      build, start everything, print the URL, run until Ctrl-C
//   npm run demo -- --port 9000       port (also DEMO_PORT); default 8080 when free, else a random free port
//   npm run demo -- --check           start everything, check the workbench loads in headless chromium and the
//                                     extension activates, screenshot test-results/demo.png, exit 0/1
//   npm run demo -- --skip-build      reuse out/ and dist/
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  launchBrowser,
  remoteUri,
  reportBlocked,
  workbenchUrl,
} from '../test/integration/runner/browser.mjs';
import { freePort, isPortFree, startCodeServer } from '../test/integration/runner/code-server.mjs';
import { printHostLog } from '../test/integration/runner/host-suite.mjs';
import {
  codeServerInstallScript,
  compiledTestsDir,
  repoRoot,
  testResultsDir,
  testWorkspace,
} from '../test/integration/runner/paths.mjs';
import {
  aptInstallCommand,
  installAptPackages,
  missingAptPackages,
} from '../test/integration/runner/prerequisites.mjs';
import { createSandbox, disposeSandbox } from '../test/integration/runner/sandbox.mjs';

const emulatorModule = path.join(compiledTestsDir, 'emulator/index.js');
const demoScenario = path.join(repoRoot, 'test/emulator/scenarios/demo.json');
const checkSuite = path.join(compiledTestsDir, 'integration/demo/check.js');
const profile = 'demo';

class DemoError extends Error {}

const log = (message) => console.log(`[demo] ${message}`);

function sh(command, args) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  return result.status ?? 1;
}

function build() {
  log('building: tsc -p . && webpack --mode production');
  const bin = (name) => path.join(repoRoot, 'node_modules/.bin', name);
  if (sh(bin('tsc'), ['-p', '.']) !== 0) {
    log('tsc reported errors (see above); it still emitted out/, continuing');
  }
  if (sh(bin('webpack'), ['--mode', 'production']) !== 0) throw new DemoError('webpack failed: see above');
}

function ensureCodeServer({ browser }) {
  const missing = missingAptPackages({ browser });
  if (missing.length > 0) {
    log(`missing Debian packages: ${missing.join(' ')}`);
    if (!installAptPackages(missing)) {
      throw new DemoError(`install the missing packages first: ${aptInstallCommand(missing)}`);
    }
  }
  if (sh('bash', [codeServerInstallScript]) !== 0)
    throw new DemoError('installing code-server failed: see above');
}

async function startDemoEmulator() {
  if (!existsSync(emulatorModule)) {
    throw new DemoError(`${emulatorModule} does not exist: the emulator is not built (npx tsc -p .)`);
  }
  if (!existsSync(demoScenario)) throw new DemoError(`the demo scenario ${demoScenario} does not exist`);
  const { startEmulator } = await import(pathToFileURL(emulatorModule).href);
  return startEmulator({ scenario: demoScenario, port: 0 });
}

/** ~/.aws/{config,credentials} with profile `demo` pointing at the emulator; returns the non-AWS_ emulator env. */
async function writeAwsProfile(home, emulator) {
  const env = emulator.env();
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const awsDir = path.join(home, '.aws');
  await mkdir(awsDir, { recursive: true, mode: 0o700 });
  await writeFile(
    path.join(awsDir, 'config'),
    `[profile ${profile}]\nregion = ${region}\nendpoint_url = ${emulator.endpoint}\n`,
  );
  const token = env.AWS_SESSION_TOKEN ? `aws_session_token = ${env.AWS_SESSION_TOKEN}\n` : '';
  await writeFile(
    path.join(awsDir, 'credentials'),
    `[${profile}]\naws_access_key_id = ${env.AWS_ACCESS_KEY_ID ?? 'demo'}\n` +
      `aws_secret_access_key = ${env.AWS_SECRET_ACCESS_KEY ?? 'demo'}\n${token}`,
    { mode: 0o600 },
  );
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('AWS_')));
}

async function choosePort(requested) {
  if (requested !== undefined) {
    const port = Number(requested);
    if (!Number.isInteger(port) || port <= 0 || port > 65535)
      throw new DemoError(`invalid port "${requested}"`);
    if (!(await isPortFree(port)))
      throw new DemoError(`127.0.0.1:${port} is in use: pick another with --port`);
    return port;
  }
  return (await isPortFree(8080)) ? 8080 : freePort();
}

function printInstructions(url, port) {
  const host = os.hostname();
  console.log(`
  SageMaker SSH demo is running (profile "${profile}" -> local AWS emulator).

  Open in a browser on this machine:
    ${url}

  From another machine, forward the port first (same port on both sides), then open the URL there:
    ssh -L ${port}:127.0.0.1:${port} ${host}

  After changing the extension: rebuild (npx webpack --mode production) and run "Developer: Reload Window".
  Press Ctrl-C to stop; everything (code-server, emulator, temp HOME) is cleaned up.
`);
}

/** --check: the workbench loads in headless chromium, the extension activates (in-host), screenshot. */
async function runCheck({ server, sandbox, releaseFile }) {
  const browser = await launchBrowser({ sandbox, origin: server.origin });
  try {
    const { page } = browser;
    let ready;
    const readySeen = new Promise((resolve) => (ready = resolve));
    let exit;
    const exited = new Promise((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      printHostLog(level, args);
      if (Array.isArray(args) && String(args[0]).startsWith('[demo-check] ready')) ready();
    });
    await page.exposeFunction('codeAutomationExit', (code) => exit(Number(code)));
    const payload = [
      ['extensionDevelopmentPath', remoteUri(server.port, repoRoot)],
      ['extensionTestsPath', remoteUri(server.port, checkSuite)],
    ];
    await page.goto(workbenchUrl({ origin: server.origin, folder: testWorkspace, payload }));
    const timeout = (ms) => new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
    const first = await Promise.race([readySeen.then(() => 'ready'), exited, timeout(120_000)]);
    if (first !== 'ready') {
      log(
        first === 'timeout'
          ? 'the extension host did not report ready within 120 s'
          : `host exited: ${first}`,
      );
      return 1;
    }
    // Let the views show what they fetched from the emulator before the screenshot (not an assertion).
    await page
      .locator('.part.sidebar [role="treeitem"]')
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 })
      .catch(() => log('no tree items rendered within 15 s; taking the screenshot anyway'));
    await mkdir(testResultsDir, { recursive: true });
    const shot = path.join(testResultsDir, 'demo.png');
    await page.screenshot({ path: shot });
    log(`screenshot: ${path.relative(repoRoot, shot)}`);
    await writeFile(releaseFile, 'done\n');
    const code = await Promise.race([exited, timeout(30_000)]);
    reportBlocked(browser.blocked);
    if (code !== 0) log(`the in-host check failed (${code})`);
    return code === 0 ? 0 : 1;
  } finally {
    await browser.close();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.DEMO_PORT },
      check: { type: 'boolean', default: false },
      'skip-build': { type: 'boolean', default: false },
    },
  });
  if (!values['skip-build']) build();
  ensureCodeServer({ browser: values.check });

  const cleanups = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((error) => log(`cleanup: ${error.message}`));
    cleanups.length = 0;
  };
  let stopRequested;
  const stop = new Promise((resolve) => (stopRequested = resolve));
  const onSignal = (signal) => {
    log(`${signal}: stopping`);
    stopRequested(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const emulator = await startDemoEmulator();
    cleanups.push(() => emulator.close());
    log(`AWS emulator (scenario demo.json) at ${emulator.endpoint}`);

    const sandbox = await createSandbox({ prefix: 'sagemaker-ssh-demo-' });
    cleanups.push(() => disposeSandbox(sandbox));
    const emulatorEnv = await writeAwsProfile(sandbox.home, emulator);
    log(`demo HOME ${sandbox.home} with profile "${profile}" (endpoint_url = ${emulator.endpoint})`);

    const port = await choosePort(values.port);
    const releaseFile = path.join(sandbox.tmp, 'demo-check.release');
    const env = { ...emulatorEnv, AWS_PROFILE: profile };
    if (values.check) env.SAGEMAKER_SSH_TEST_DEMO_RELEASE = releaseFile;
    const server = await startCodeServer({ sandbox, port, folder: testWorkspace, env });
    cleanups.push(() => server.stop());
    log(`code-server ${server.origin} (pid ${server.pid}, log ${sandbox.logFile})`);

    if (values.check) {
      const code = await Promise.race([runCheck({ server, sandbox, releaseFile }), stop.then(() => 130)]);
      log(code === 0 ? 'check passed' : 'check FAILED');
      return code;
    }
    const payload = [['extensionDevelopmentPath', remoteUri(port, repoRoot)]];
    printInstructions(workbenchUrl({ origin: server.origin, folder: testWorkspace, payload }), port);
    const reason = await Promise.race([stop, server.exited.then((e) => e)]);
    if (typeof reason === 'object') {
      log(
        `code-server exited on its own (code ${reason.code}, signal ${reason.signal}); see ${sandbox.logFile}`,
      );
      return 1;
    }
    return 0;
  } finally {
    await cleanup();
    log('stopped and cleaned up');
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`[demo] ${error instanceof DemoError ? error.message : (error.stack ?? error)}`);
  process.exitCode = 1;
}
// Playwright or the emulator may hold handles briefly after cleanup; everything we started is stopped by now.
setTimeout(() => process.exit(), 1_000).unref();
