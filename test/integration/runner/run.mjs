#!/usr/bin/env node
// Runs extension tests inside a real VS Code extension host: pinned code-server on 127.0.0.1 + headless chromium.
//
//   node test/integration/runner/run.mjs                       in-host mocha suite (out/test/integration/suite)
//   node test/integration/runner/run.mjs --suite out/x/index.js  another in-host suite (e.g. a benchmark)
//   node test/integration/runner/run.mjs --mode ui              UI tests (out/test/integration/ui/**/*.test.js)
//   node test/integration/runner/run.mjs --mode ui --demo       UI tests under ui/demo/ in `npm run demo`'s
//                                                                environment (demo emulator, HOME, settings)
//   ... --vsix sagemaker-ssh-0.1.0.vsix                          test the packaged extension, not development mode
//   ... --screenshot test-results/end.png                        screenshot of the workbench at the end
//
// Env: KEEP_SANDBOX=1 keeps the temp tree (code-server.log, workbench-logs/); RUNNER_VERBOSE=1 prints all
// workbench log lines; EXTRA_PAYLOAD='[["inspect-extensions","9229"]]' to attach a debugger;
// EXT_TEST_* and SAGEMAKER_SSH_TEST_* (e.g. SAGEMAKER_SSH_TEST_STATS=<file>) reach the extension host.
// Exit code: the extension host's (test mode) or 0/1 (ui mode).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser, reportBlocked } from './browser.mjs';
import { freePort, installVsix, startCodeServer } from './codeServer.mjs';
import { runHostSuite } from './hostSuite.mjs';
import { defaultHostSuite, defaultUiTestsDir, repoRoot, testWorkspace } from './paths.mjs';
import { prepareDemoEnvironment, startDemoEmulator } from './demoEnvironment.mjs';
import { createSandbox, disposeSandbox } from './sandbox.mjs';
import { runUiTests } from './uiSuite.mjs';

class UsageError extends Error {}

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      suite: { type: 'string', default: defaultHostSuite },
      mode: { type: 'string', default: 'test' },
      vsix: { type: 'string' },
      screenshot: { type: 'string' },
      timeout: { type: 'string', default: process.env.RUNNER_TIMEOUT ?? '180' },
      'extension-path': { type: 'string', default: repoRoot },
      folder: { type: 'string', default: testWorkspace },
      'ui-tests': { type: 'string', default: defaultUiTestsDir },
      demo: { type: 'boolean', default: false },
    },
  });
  if (values.demo && values.mode !== 'ui') throw new UsageError('--demo goes with --mode ui');
  if (!['test', 'ui'].includes(values.mode))
    throw new UsageError(`--mode must be "test" or "ui", not "${values.mode}"`);
  const timeoutSeconds = Number(values.timeout);
  if (!(timeoutSeconds > 0)) throw new UsageError(`--timeout must be a positive number of seconds`);
  return {
    mode: values.mode,
    suitePath: path.resolve(values.suite),
    vsix: values.vsix && path.resolve(values.vsix),
    screenshot: values.screenshot && path.resolve(values.screenshot),
    timeoutMs: timeoutSeconds * 1000,
    extensionPath: path.resolve(values['extension-path']),
    folder: path.resolve(values.folder),
    uiTestsDir: path.resolve(values['ui-tests']),
    demo: values.demo,
  };
}

/** Fails fast, with the command to run, when something the host would only report vaguely is missing. */
function preflight(options) {
  const missing = (file, hint) => {
    if (!existsSync(file)) throw new UsageError(`${file} does not exist: ${hint}`);
  };
  missing(options.folder, 'the test workspace folder is part of the repository');
  if (options.vsix) missing(options.vsix, 'package it first (npm run package)');
  else {
    const manifest = JSON.parse(readFileSync(path.join(options.extensionPath, 'package.json'), 'utf8'));
    const main = path.join(options.extensionPath, manifest.main ?? 'extension.js');
    missing(main, 'build the extension first (npx webpack --mode production)');
  }
  if (options.mode === 'test') missing(options.suitePath, 'compile the tests first (npx tsc -p .)');
}

async function runOnce(options) {
  const sandbox = await createSandbox();
  const started = Date.now();
  let server;
  let browser;
  let emulator;
  const cleanup = async () => {
    await browser?.close();
    await server?.stop();
    await emulator?.close();
    await disposeSandbox(sandbox);
  };
  const onSignal = (signal) => {
    console.error(`[runner] ${signal}: cleaning up`);
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (options.vsix) installVsix(sandbox, options.vsix);
    const port = await freePort();
    // Lets the in-host suite check it tests the intended build (development folder or installed .vsix).
    const extensionRoot = options.vsix ? sandbox.extensionsDir : options.extensionPath;
    let demo;
    if (options.demo) {
      emulator = await startDemoEmulator();
      demo = { emulator, ...(await prepareDemoEnvironment(sandbox, emulator)) };
      console.log(
        `[runner] demo environment: emulator ${emulator.endpoint}, ssh config ${demo.sshConfigFile}`,
      );
    }
    server = await startCodeServer({
      sandbox,
      port,
      folder: options.folder,
      env: { ...demo?.env, SAGEMAKER_SSH_TEST_EXTENSION_ROOT: extensionRoot },
    });
    console.log(
      `[runner] code-server ${server.origin} (pid ${server.pid}) up after ${Date.now() - started} ms`,
    );
    browser = await launchBrowser({ sandbox, origin: server.origin });
    const common = { page: browser.page, server, sandbox, folder: options.folder };
    const exitCode =
      options.mode === 'ui'
        ? await runUiTests({
            ...common,
            extensionPath: options.extensionPath,
            vsix: options.vsix,
            testsDir: options.uiTestsDir,
            demo,
          })
        : await runHostSuite({ ...common, ...options });
    if (options.screenshot) {
      await mkdir(path.dirname(options.screenshot), { recursive: true });
      await browser.page.screenshot({ path: options.screenshot });
      console.log(`[runner] screenshot: ${options.screenshot}`);
    }
    reportBlocked(browser.blocked);
    if (exitCode !== 0 && process.env.KEEP_SANDBOX !== '1') {
      console.error('[runner] re-run with KEEP_SANDBOX=1 to keep code-server.log and the workbench logs');
    }
    return exitCode;
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    console.log(`[runner] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
    preflight(options);
  } catch (error) {
    console.error(`[runner] ${error.message}`);
    return 2;
  }
  try {
    return await runOnce(options);
  } catch (error) {
    console.error(`[runner] FAILED: ${error.stack ?? error}`);
    return 1;
  }
}

process.exitCode = await main();
