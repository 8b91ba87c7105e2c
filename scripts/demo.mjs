#!/usr/bin/env node
// `npm run demo`: the extension in a real VS Code (code-server on 127.0.0.1, development mode) talking to the local
// AWS emulator with the demo scenario, through an ordinary AWS profile `demo` in a throwaway HOME.
//
//   npm run demo                      build, start everything, print the URL, run until Ctrl-C
//   npm run demo -- --port 9000       port (also DEMO_PORT); default 8080 when free, else a random free port
//   npm run demo -- --check           start everything, check the workbench loads in headless chromium and the
//                                     extension activates, screenshot test-results/demo.png, exit 0/1
//   npm run demo -- --skip-build      reuse out/ and dist/ (by default they are rebuilt only when a source changed)
//
// Prerequisites are checked before any slow step: Node 20, and the Debian packages code-server's native modules
// and the simulated containers need (the exact `apt-get install` command is printed). The first run installs
// code-server (~8 min); later runs skip that (a stamp in install.sh) and the build when nothing changed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
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
import { freePort, isPortFree, startCodeServer } from '../test/integration/runner/codeServer.mjs';
import { printHostLog } from '../test/integration/runner/hostSuite.mjs';
import {
  DemoEnvironmentError,
  demoProfile as profile,
  prepareDemoEnvironment,
  startDemoEmulator,
} from '../test/integration/runner/demoEnvironment.mjs';
import {
  codeServerEntry,
  codeServerInstallScript,
  compiledTestsDir,
  repoRoot,
  testResultsDir,
  testWorkspace,
} from '../test/integration/runner/paths.mjs';
import {
  aptInstallCommand,
  installAptPackages,
  missingDemoPackages,
  nodeVersionProblem,
} from '../test/integration/runner/prerequisites.mjs';
import { createSandbox, disposeSandbox } from '../test/integration/runner/sandbox.mjs';

const checkSuite = path.join(compiledTestsDir, 'integration/demo/check.js');
const buildStamp = path.join(repoRoot, 'out/.demo-build-stamp');
const buildInputs = ['src', 'test', 'media', 'package.json', 'tsconfig.json', 'webpack.config.js'];
const skippedDirs = new Set(['node_modules', '.scratch']);

class DemoError extends Error {}

const log = (message) => console.log(`[demo] ${message}`);

function sh(command, args) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  return result.status ?? 1;
}

/** Newest modification time (ms) of the build's inputs. */
function newestInput(entry = repoRoot, names = buildInputs) {
  let newest = 0;
  for (const name of names) {
    const file = path.join(entry, name);
    let stats;
    try {
      stats = statSync(file);
    } catch {
      continue;
    }
    newest = Math.max(
      newest,
      stats.isDirectory()
        ? newestInput(
            file,
            readdirSync(file).filter((child) => !skippedDirs.has(child)),
          )
        : stats.mtimeMs,
    );
  }
  return newest;
}

function buildIsCurrent() {
  if (!existsSync(buildStamp) || !existsSync(path.join(repoRoot, 'dist/extension.js'))) return false;
  return statSync(buildStamp).mtimeMs > newestInput();
}

/** Up front, before any slow step: Node 20, root on Linux, and the Debian packages (installed here). */
function checkPrerequisites({ browser }) {
  const node = nodeVersionProblem();
  if (node) throw new DemoError(node);
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    throw new DemoError(
      'the demo runs simulated SageMaker containers in Linux mount/PID/UTS namespaces, which needs root on ' +
        'Linux: run it as root (for example in a container or VM: sudo npm run demo).',
    );
  }
  const missing = missingDemoPackages({ browser });
  if (missing.length === 0) return;
  const command = aptInstallCommand(missing);
  log(`missing Debian packages: ${missing.join(' ')}. Install them with:\n  ${command}`);
  if (!installAptPackages(missing)) {
    throw new DemoError(`install the missing packages first, then run npm run demo again:\n  ${command}`);
  }
}

function build() {
  if (buildIsCurrent()) {
    log('build is up to date (nothing under src/, test/ or media/ changed since the last demo build)');
    return;
  }
  const started = new Date();
  log('building: tsc -p . && webpack --mode production');
  const bin = (name) => path.join(repoRoot, 'node_modules/.bin', name);
  if (sh(bin('tsc'), ['-p', '.']) !== 0) {
    log('tsc reported errors (see above); it still emitted out/, continuing');
  }
  if (sh(bin('webpack'), ['--mode', 'production']) !== 0) throw new DemoError('webpack failed: see above');
  // Dated when the build started, so a source saved during the build still counts as newer.
  writeFileSync(buildStamp, `${started.toISOString()}\n`);
  utimesSync(buildStamp, started, started);
}

function ensureCodeServer() {
  if (!existsSync(codeServerEntry)) {
    log('first run: installing code-server and building its native modules (about 8 minutes; once)');
  }
  if (sh('bash', [codeServerInstallScript]) !== 0)
    throw new DemoError('installing code-server failed: see above');
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

/** A command the demo suggests for a second shell, with its note as a shell comment. */
function shellCommandLine({ command, note }) {
  return note ? `${command.padEnd(31)} # ${note}` : command;
}

function printInstructions(url, port, demo) {
  const host = os.hostname();
  console.log(`
  SageMaker SSH demo is running (profile "${profile}" -> local AWS emulator).

  Open in a browser on this machine:
    ${url}

  From another machine, forward the port first (same port on both sides), then open the URL there:
    ssh -L ${port}:127.0.0.1:${port} ${host}

  In the SageMaker SSH view, expand bert-distributed-ssh-… and click Connect on algo-2: a terminal opens inside
  that container (this browser VS Code has no Remote-SSH; a desktop VS Code opens a Remote-SSH window instead).

  The CLI and plain ssh against the same emulator, from another shell on this machine:
    ${[...demo.shellLines, ...demo.shellCommands.map(shellCommandLine)].join('\n    ')}
  OpenSSH reads ~/.ssh/config from your home in the user database, not from $HOME, so the demo's hosts live in
  ${demo.sshConfigFile} (remote.SSH.configFile in the demo) and its ssh runs with -F.

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
  checkPrerequisites({ browser: values.check });
  if (!values['skip-build']) build();
  ensureCodeServer();

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
    const demo = await prepareDemoEnvironment(sandbox, emulator);
    log(`demo HOME ${sandbox.home} with profile "${profile}" (endpoint_url = ${emulator.endpoint})`);

    const port = await choosePort(values.port);
    const releaseFile = path.join(sandbox.tmp, 'demo-check.release');
    const env = { ...demo.env };
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
    printInstructions(workbenchUrl({ origin: server.origin, folder: testWorkspace, payload }), port, demo);
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
  const known =
    error instanceof DemoError ||
    error instanceof DemoEnvironmentError ||
    error?.name === 'ContainerIsolationError';
  console.error(`[demo] ${known ? error.message : (error.stack ?? error)}`);
  process.exitCode = 1;
}
// Playwright or the emulator may hold handles briefly after cleanup; everything we started is stopped by now.
setTimeout(() => process.exit(), 1_000).unref();
