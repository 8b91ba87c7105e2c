'use strict';
// Mocha's `spec` output plus a machine-readable {passed, failed, pending, failures} file for scripts/test.mjs,
// which repeats the failures' titles next to its summary so the last lines of a CI log say what broke.
// The file is `--reporter-option statsFile=<path>` or $SAGEMAKER_SSH_TEST_STATS. It is written only when the
// run ends, so a suite that crashes leaves no file and the orchestrator counts it as failed.
const fs = require('node:fs');
const Mocha = require('mocha');

const { EVENT_RUN_END, EVENT_TEST_FAIL } = Mocha.Runner.constants;

/** Title path and the first line of the error: enough to find the test from the end of a long log. */
function describeFailure(test, error) {
  const message = String(error?.message ?? error)
    .split('\n')[0]
    .slice(0, 300);
  return { title: test.fullTitle(), message };
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
