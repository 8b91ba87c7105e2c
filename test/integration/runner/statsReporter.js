'use strict';
// Mocha's `spec` output plus a machine-readable {passed, failed, pending, failures} file for scripts/test.mjs,
// which repeats the failures (title, error head, test-file frame) next to its summary so the last lines of a CI log say what broke.
// The file is `--reporter-option statsFile=<path>` or $SAGEMAKER_SSH_TEST_STATS. It is written only when the
// run ends, so a suite that crashes leaves no file and the orchestrator counts it as failed.
const fs = require('node:fs');
const Mocha = require('mocha');

const { EVENT_RUN_END, EVENT_TEST_FAIL } = Mocha.Runner.constants;

/**
 * Title path, the head of the error (an assertion's diff included) and where in a test file it was thrown:
 * enough to tell from the end of a CI log what broke, even when the run cannot be repeated.
 */
function describeFailure(test, error) {
  const lines = String(error?.message ?? error).split('\n');
  const head = lines.slice(0, 16).map((line) => line.slice(0, 300));
  if (lines.length > head.length) head.push(`… (${lines.length - head.length} more lines)`);
  const at = String(error?.stack ?? '')
    .split('\n')
    .find((line) => /^\s+at .*\/test\//.test(line));
  if (at) head.push(at.trim());
  return { title: test.fullTitle(), message: head.join('\n') };
}

class StatsReporter extends Mocha.reporters.Spec {
  constructor(runner, options = {}) {
    super(runner, options);
    const reporterOptions = options.reporterOption ?? options.reporterOptions ?? {};
    const statsFile = reporterOptions.statsFile ?? process.env.SAGEMAKER_SSH_TEST_STATS;
    if (!statsFile) return;
    const failed = [];
    runner.on(EVENT_TEST_FAIL, (test, error) => failed.push(describeFailure(test, error)));
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      const stats = { passed: passes, failed: failures, pending, failures: failed };
      fs.writeFileSync(statsFile, JSON.stringify(stats) + '\n');
    });
  }
}

module.exports = StatsReporter;
