'use strict';
// Mocha's `spec` output plus a machine-readable {passed, failed, pending} file for scripts/test.mjs.
// The file is `--reporter-option statsFile=<path>` or $SAGEMAKER_SSH_TEST_STATS. It is written only when the
// run ends, so a suite that crashes leaves no file and the orchestrator counts it as failed.
const fs = require('node:fs');
const Mocha = require('mocha');

const { EVENT_RUN_END } = Mocha.Runner.constants;

class StatsReporter extends Mocha.reporters.Spec {
  constructor(runner, options = {}) {
    super(runner, options);
    const reporterOptions = options.reporterOption ?? options.reporterOptions ?? {};
    const statsFile = reporterOptions.statsFile ?? process.env.SAGEMAKER_SSH_TEST_STATS;
    if (!statsFile) return;
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      fs.writeFileSync(statsFile, JSON.stringify({ passed: passes, failed: failures, pending }) + '\n');
    });
  }
}

module.exports = StatsReporter;
