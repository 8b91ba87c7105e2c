// Well-known locations shared by the integration runner, the UI tests, the demo and the benchmark.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
export const codeServerDir = path.join(repoRoot, 'test/integration/code-server');
export const codeServerEntry = path.join(codeServerDir, 'node_modules/code-server/out/node/entry.js');
export const codeServerInstallScript = path.join(codeServerDir, 'install.sh');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const testWorkspace = path.join(repoRoot, 'test/workspace');
export const testResultsDir = path.join(repoRoot, 'test-results');
export const compiledTestsDir = path.join(repoRoot, 'out/test');
export const defaultHostSuite = path.join(compiledTestsDir, 'integration/suite/index.js');
export const defaultUiTestsDir = path.join(compiledTestsDir, 'integration/ui');
export const statsReporter = path.join(repoRoot, 'test/integration/runner/statsReporter.js');
