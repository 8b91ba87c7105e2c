#!/usr/bin/env node
// `npm run test:electron`: the same in-host suite (out/test/integration/suite) in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code from update.code.visualstudio.com.
// Without that access (CI here) it fails with a clear message; use `npm run test:integration` (code-server).
//
// Env: VSCODE_EXECUTABLE_PATH=<desktop `code` binary> skips the download; VSCODE_TEST_VERSION (default: the
// API level we build against, 1.100.3); VSCODE_TEST_CACHE (default <repo>/.vscode-test); KEEP_SANDBOX=1.
// On Linux without a display, run it under `xvfb-run -a`.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { defaultHostSuite, repoRoot, testWorkspace } from './paths.mjs';
import { createSandbox, disposeSandbox } from './sandbox.mjs';

const version = process.env.VSCODE_TEST_VERSION ?? '1.100.3';
const cachePath = process.env.VSCODE_TEST_CACHE ?? path.join(repoRoot, '.vscode-test');
const unreachable =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up|Failed to get|download/i;

function passThroughEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => key.startsWith('EXT_TEST_') || key.startsWith('SAGEMAKER_SSH_TEST_'),
    ),
  );
}

async function main() {
  if (!existsSync(defaultHostSuite)) {
    console.error(`[electron] ${defaultHostSuite} does not exist: compile the tests first (npx tsc -p .)`);
    return 2;
  }
  const sandbox = await createSandbox({ prefix: 'sagemaker-ssh-electron-' });
  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH;
  try {
    console.log(
      vscodeExecutablePath
        ? `[electron] using ${vscodeExecutablePath}`
        : `[electron] VS Code ${version}: downloading into ${cachePath} if not cached (needs update.code.visualstudio.com)`,
    );
    return await runTests({
      version,
      cachePath,
      vscodeExecutablePath,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: defaultHostSuite,
      extensionTestsEnv: {
        ...passThroughEnv(),
        ...sandbox.env(),
        SAGEMAKER_SSH_TEST_SANDBOX: sandbox.root,
        SAGEMAKER_SSH_TEST_EXTENSION_ROOT: repoRoot,
      },
      launchArgs: [
        testWorkspace,
        ...['--user-data-dir', sandbox.userData, '--extensions-dir', sandbox.extensionsDir],
        ...['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
        '--disable-gpu',
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ],
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!vscodeExecutablePath && unreachable.test(message)) {
      console.error(
        [
          `[electron] FAILED: could not download VS Code ${version} (${message.trim()}).`,
          '[electron] This machine cannot reach update.code.visualstudio.com, so desktop VS Code tests cannot run here.',
          '[electron] Use the code-server host instead: npm run test:integration:setup && npm run test:integration',
          '[electron] or point VSCODE_EXECUTABLE_PATH at an installed desktop VS Code (`code`) binary.',
        ].join('\n'),
      );
    } else {
      console.error(`[electron] FAILED: ${message}`);
    }
    return 1;
  } finally {
    await disposeSandbox(sandbox);
  }
}

process.exitCode = await main();
