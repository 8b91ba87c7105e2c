#!/usr/bin/env node
// `npm test`: build, then every test suite, then exactly one final line "N passed, N failed" (all suites summed).
// Suites: unit (mocha), node e2e (mocha, if any), the in-host integration suite and the UI tests (real VS Code
// extension host in code-server + headless chromium, inside a loopback-only network namespace when possible).
// A suite that dies before reporting its counts is counted as one failure. Exit code 1 on any failure.
//
// Env: SKIP_HOST_TESTS=1 skips code-server install + the host suites (quick local runs; never in CI).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeServerInstallScript, repoRoot, statsReporter } from '../test/integration/runner/paths.mjs';
import { aptInstallCommand, missingAptPackages } from '../test/integration/runner/prerequisites.mjs';

const bin = (name) => path.join(repoRoot, 'node_modules', '.bin', name);
const runner = path.join(repoRoot, 'test/integration/runner/run.mjs');
const statsDir = mkdtempSync(path.join(os.tmpdir(), 'sagemaker-ssh-test-stats-'));

/** @type {{ name: string, passed: number, failed: number, seconds: number, note?: string,
 *   failures?: { title: string, message: string }[] }[]} */
const results = [];

function banner(title) {
  console.log(`\n=== ${title} ===`);
}

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...env },
    });
    child.on('error', (error) => {
      console.error(`cannot run ${command}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** A build step: a failure counts as one failed check (tsc still emits, so the suites after it still run). */
async function buildStep(name, command, args) {
  banner(`build: ${name}`);
  const started = Date.now();
  const code = await run(command, args);
  const seconds = (Date.now() - started) / 1000;
  console.log(`[test] ${name}: exit ${code} (${seconds.toFixed(1)} s)`);
  if (code !== 0)
    results.push({ name: `build: ${name}`, passed: 0, failed: 1, seconds, note: `exit code ${code}` });
  return code === 0;
}

/** Runs a suite that writes {passed, failed} to $SAGEMAKER_SSH_TEST_STATS and records its counts. */
async function suite(name, command, args) {
  banner(name);
  const statsFile = path.join(statsDir, `${name.replace(/\W+/g, '-')}.json`);
  const started = Date.now();
  const code = await run(command, args, { SAGEMAKER_SSH_TEST_STATS: statsFile });
  const seconds = (Date.now() - started) / 1000;
  let stats;
  try {
    stats = JSON.parse(readFileSync(statsFile, 'utf8'));
  } catch {
    results.push({
      name,
      passed: 0,
      failed: 1,
      seconds,
      note: `crashed before reporting counts (exit code ${code}); counted as 1 failure`,
    });
    return;
  }
  const result = { name, passed: stats.passed, failed: stats.failed, seconds, failures: stats.failures };
  if (code !== 0 && stats.failed === 0) {
    result.failed = 1;
    result.note = `reported no failures but exited with code ${code}; counted as 1 failure`;
  }
  results.push(result);
}

function failSuite(name, note) {
  console.error(`[test] ${name}: ${note}`);
  results.push({ name, passed: 0, failed: 1, seconds: 0, note });
}

function compiledTests(dir) {
  const abs = path.join(repoRoot, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true }).filter((name) => String(name).endsWith('.test.js'));
}

function commandWorks(command, args) {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.status === 0;
}

function findIp() {
  for (const candidate of [
    ...(process.env.PATH ?? '').split(':').map((dir) => path.join(dir, 'ip')),
    '/usr/sbin/ip',
    '/sbin/ip',
  ]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Command prefix that runs a suite in a fresh network namespace with only loopback up, or [] if unavailable. */
function loopbackOnlyPrefix() {
  const isRoot = process.getuid?.() === 0;
  const unshareArgs = isRoot ? ['-n'] : ['-rn'];
  const ip = findIp();
  if (!ip) {
    console.log(
      '[test] network namespace: not used (no `ip` command; apt-get install -y iproute2): host suites run normally',
    );
    return [];
  }
  if (!commandWorks('unshare', [...unshareArgs, 'true'])) {
    console.log(
      `[test] network namespace: not available (\`unshare ${unshareArgs.join(' ')} true\` failed): host suites run normally`,
    );
    return [];
  }
  console.log(
    `[test] network namespace: host suites run in \`unshare ${unshareArgs.join(' ')}\` with only loopback up (no network)`,
  );
  return ['unshare', ...unshareArgs, '--', 'sh', '-c', `${ip} link set lo up && exec "$@"`, 'loopback-only'];
}

async function hostSuites() {
  if (process.env.SKIP_HOST_TESTS === '1') {
    banner('host suites');
    console.log(
      '[test] SKIP_HOST_TESTS=1: skipped the code-server install, the integration suite and the UI tests',
    );
    return;
  }
  banner('code-server (pinned test host)');
  const missing = missingAptPackages({ browser: true });
  if (missing.length > 0) {
    const note = `missing Debian packages: ${missing.join(' ')}. Install them with: ${aptInstallCommand(missing)}`;
    failSuite('integration (extension host)', note);
    failSuite('ui (workbench)', note);
    failSuite('ui (README walk)', note);
    return;
  }
  if ((await run('bash', [codeServerInstallScript])) !== 0) {
    const note =
      'the code-server install failed (its message above says which apt-get install command is needed)';
    failSuite('integration (extension host)', note);
    failSuite('ui (workbench)', note);
    failSuite('ui (README walk)', note);
    return;
  }
  const [command, ...prefix] = [...loopbackOnlyPrefix(), process.execPath];
  // The in-host suite reports its counts only when it ends: the runner's limit stays well above a hung test's own
  // timeout, so a stuck test fails by name instead of taking the whole suite's counts with it.
  await suite('integration (extension host)', command, [...prefix, runner, '--timeout', '600']);
  await suite('ui (workbench)', command, [...prefix, runner, '--mode', 'ui']);
  // The README's Quick start as a user walks it, in the environment `npm run demo` makes.
  await suite('ui (README walk)', command, [...prefix, runner, '--mode', 'ui', '--demo']);
}

function printSummary() {
  banner('summary');
  for (const r of results) {
    const note = r.note ? `  <- ${r.note}` : '';
    console.log(
      `  ${r.name.padEnd(30)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${r.seconds.toFixed(1).padStart(6)} s${note}`,
    );
  }
  const failures = results.flatMap((r) => (r.failures ?? []).map((f) => ({ suite: r.name, ...f })));
  if (failures.length > 0) {
    console.log('  failed tests:');
    for (const f of failures) {
      console.log(`    [${f.suite}] ${f.title}`);
      for (const line of String(f.message).split('\n')) console.log(`      ${line}`);
    }
  }
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

async function main() {
  const started = Date.now();
  await buildStep('tsc', bin('tsc'), ['-p', '.']);
  await buildStep('webpack', bin('webpack'), ['--mode', 'production']);

  const mocha = bin('mocha');
  if (compiledTests('out/test/unit').length > 0) {
    await suite('unit', mocha, ['--reporter', statsReporter]);
  } else {
    banner('unit');
    console.log('[test] no out/test/unit/**/*.test.js: nothing to run');
  }
  if (compiledTests('out/test/e2e').length > 0) {
    const e2eOptions = ['--no-config', '--ui', 'bdd', '--timeout', '120000', '--enable-source-maps'];
    await suite('e2e (node)', mocha, [
      ...e2eOptions,
      '--reporter',
      statsReporter,
      'out/test/e2e/**/*.test.js',
    ]);
  } else {
    banner('e2e (node)');
    console.log('[test] no out/test/e2e/**/*.test.js: nothing to run');
  }
  await hostSuites();

  rmSync(statsDir, { recursive: true, force: true });
  console.log(`[test] total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return printSummary() > 0 ? 1 : 0;
}

process.exitCode = await main();
