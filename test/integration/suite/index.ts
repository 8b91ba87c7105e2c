// Entry point the extension host loads (payload `extensionTestsPath`): runs every *.test.js next to this file.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { extensionLogSince } from './extensionLog';

export interface SuiteStats {
  passed: number;
  failed: number;
  pending: number;
  /** What scripts/test.mjs repeats beside its summary, so the end of a CI log names what broke. */
  failures: { title: string; message: string }[];
}

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => path.join(dir, name));
}

function writeStats(stats: SuiteStats): void {
  const file = process.env.SAGEMAKER_SSH_TEST_STATS;
  if (file) fs.writeFileSync(file, JSON.stringify(stats) + '\n');
}

export async function run(): Promise<void> {
  // SAGEMAKER_SSH_TEST_GREP runs only the tests whose full title matches (like mocha --grep).
  const grep = process.env.SAGEMAKER_SSH_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: true, timeout: 60_000, ...(grep ? { grep } : {}) });
  const files = testFiles(__dirname);
  if (files.length === 0)
    throw new Error(`no *.test.js files next to ${__filename}: compile the tests first`);
  for (const file of files) mocha.addFile(file);
  await mocha.loadFilesAsync();
  const failed: SuiteStats['failures'] = [];
  const stats = await new Promise<SuiteStats>((resolve) => {
    const runner = mocha.run(() => {
      const { passes = 0, failures = 0, pending = 0 } = runner.stats ?? {};
      resolve({ passed: passes, failed: failures, pending, failures: failed });
    });
    let testStartedAt = Date.now();
    runner.on(Mocha.Runner.constants.EVENT_TEST_BEGIN, () => (testStartedAt = Date.now()));
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test: Mocha.Test, error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      failed.push({ title: test.fullTitle(), message: message.split('\n')[0]!.slice(0, 300) });
      // A hook's failure has no begin event of its own: its log starts at the test before it.
      const log = extensionLogSince(testStartedAt);
      if (log.length > 0) console.log([`  [extension log during "${test.title}"]`, ...log].join('\n    '));
    });
  });
  writeStats(stats);
  if (stats.failed > 0) throw new Error(`${stats.failed} of ${stats.passed + stats.failed} tests failed.`);
}
