#!/usr/bin/env node
// npm run bench:transfer — `sm-ssh cp` through the emulator to a simulated container running AWS's
// own amazon-ssm-agent (its real pacing: 1 KiB reads and a 1 ms sleep per read, per session), down
// and up, with 1, 4 and 16 sessions, plus scp over one session (OpenSSH through our ProxyCommand),
// in one run. Prints MB/s, the ratio to one session of the same direction, and the client's CPU
// time per MiB (the sm-ssh process, or scp + ssh + the ProxyCommand for scp), with where the rest of the
// machine's CPU went: the emulator (this process), AWS's agent and its session workers, and how busy all
// cores were. Client, service and container share this machine's cores, which production does not.
// Flags: --size MiB (default 256; SM_SSH_BENCH_MIB too), --sessions 1,4,16, --skip-build, --skip-scp,
// --only down|up, --cpu-prof DIR (a V8 CPU profile of each timed sm-ssh run, for Chrome DevTools),
// --tls (the client reaches the emulator over TLS, its data channels on wss: as with AWS, instead of plain
// http and ws on 127.0.0.1; the emulator's throwaway CA is trusted through NODE_EXTRA_CA_CERTS).
// SM_SSH_TEST_CLI=out/src/cli/smSsh.js runs the unbundled CLI instead (readable names in a profile).
// BENCH_NODE_FLAGS='--flag …' passes Node flags to each sm-ssh run (e.g. to try V8's GC settings).
// 16 sessions need at least 32 MiB (cp opens a session per 2 MiB at most).
import { spawnSync, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCliForBenchmark } from './buildCli.mjs';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const { values: flags } = parseArgs({
  options: {
    size: { type: 'string', default: process.env.SM_SSH_BENCH_MIB ?? '256' },
    sessions: { type: 'string', default: '1,4,16' },
    'skip-build': { type: 'boolean', default: false },
    'skip-scp': { type: 'boolean', default: false },
    only: { type: 'string' },
    'cpu-prof': { type: 'string' },
    tls: { type: 'boolean', default: false },
  },
});
const MiB = 1024 * 1024;
const sizeMiB = Number(flags.size);
const size = sizeMiB * MiB;
const sessionCounts = flags.sessions.split(',').map(Number);

if (!flags['skip-build']) buildCliForBenchmark(root);
process.env.SM_SSH_TEST_CLI ??= path.join(root, 'dist/sm-ssh.js');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { startEmulator } = require('./out/test/emulator/index.js');
const { ScenarioBuilder, me } = require('./out/test/builders/scenarioBuilder.js');
const { cliHome } = require('./out/test/e2e/cli/cliHarness.js');
const { trainingAlias } = require('./out/src/targets/targetAlias.js');

// CPU of reaped children (the sm-ssh process; scp, its ssh and the ProxyCommand), from /proc.
const cores = os.availableParallelism();
const CLOCK_TICK_MS = 1000 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout || 100);
function reapedChildrenCpuMs() {
  const stat = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[13]) * CLOCK_TICK_MS, system: Number(fields[14]) * CLOCK_TICK_MS };
}

/** This process: the emulator and its data-channel relay (the agents run in their own processes). */
function benchProcessCpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The whole machine's busy CPU time (all cores), from /proc/stat. */
function machineBusyMs() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + fields[4];
  return (fields.reduce((sum, value) => sum + value, 0) - idle) * CLOCK_TICK_MS;
}

function writeRandomFile(file, bytes) {
  const fd = openSync(file, 'w');
  for (let written = 0; written < bytes; written += MiB)
    writeFileSync(fd, randomBytes(Math.min(MiB, bytes - written)));
  closeSync(fd);
}

const b = new ScenarioBuilder();
b.trainingJob('Bench-Job', { status: 'InProgress', creationTime: '-5m', ssh: { owner: me.userId } });
const emulator = await startEmulator({ scenario: b.build() });
const cli = cliHome(emulator);
const alias = trainingAlias('Bench-Job');
const container = emulator.containers.nodes().find((node) => node.host === 'algo-1').container;
/** What the client processes get on top of the CLI home's environment. */
const clientEnv = flags.tls ? await tlsClientEnv() : {};

/** The emulator's TLS listener as the endpoint (StartSession then hands out wss: StreamUrls), its CA trusted. */
async function tlsClientEnv() {
  const { endpoint, caPem } = await emulator.tls();
  const caFile = path.join(cli.home, 'emulator-ca.pem');
  writeFileSync(caFile, caPem);
  return { AWS_ENDPOINT_URL: endpoint, NODE_EXTRA_CA_CERTS: caFile };
}
const results = [];

async function timed(label, direction, sessions, run) {
  const cpuBefore = reapedChildrenCpuMs();
  const bedBefore = benchProcessCpuMs();
  const machineBefore = machineBusyMs();
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = reapedChildrenCpuMs();
  const userMs = cpuAfter.user - cpuBefore.user;
  const systemMs = cpuAfter.system - cpuBefore.system;
  const cpuMs = userMs + systemMs;
  const bedMs = benchProcessCpuMs() - bedBefore;
  const machineMs = machineBusyMs() - machineBefore;
  // What neither the client nor this process used: AWS's agent and its session workers, sshd, the rest.
  const restMs = Math.max(0, machineMs - cpuMs - bedMs);
  const result = {
    label,
    direction,
    sessions,
    seconds,
    rate: size / seconds / 1e6,
    cpuPerMiB: cpuMs / sizeMiB,
  };
  results.push(result);
  console.log(
    `${label.padEnd(22)} ${result.rate.toFixed(2).padStart(7)} MB/s  ${seconds.toFixed(1).padStart(6)} s  ` +
      `client CPU ${result.cpuPerMiB.toFixed(1)} ms/MiB (user ${(userMs / sizeMiB).toFixed(1)}, ` +
      `system ${(systemMs / sizeMiB).toFixed(1)})  emulator ${(bedMs / seconds / 10).toFixed(0)}% of a core, ` +
      `agent and the rest ${(restMs / seconds / 10).toFixed(0)}%, machine ${(machineMs / seconds / 10 / cores).toFixed(0)}% ` +
      `of ${cores} cores busy`,
  );
}

// Node refuses --cpu-prof in NODE_OPTIONS, so a profiled run passes it on the command line.
const profileDir = flags['cpu-prof'] ? path.resolve(flags['cpu-prof']) : undefined;
// One session of AWS's agent moves under 1 MB/s: 256 MiB takes about six minutes (the e2e harness's
// 170 s default would cut it off).
const extraNodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const cliTimeoutMs = Math.max(600_000, sizeMiB * 4_000);

async function smSsh(args, profiled = false) {
  const result = await cli.run(
    args,
    {
      ...clientEnv,
      ...(process.env.SM_SSH_LOG_LEVEL ? { SM_SSH_LOG_LEVEL: process.env.SM_SSH_LOG_LEVEL } : {}),
    },
    {
      nodeFlags: [
        ...extraNodeFlags,
        ...(profiled && profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ],
      timeoutMs: cliTimeoutMs,
    },
  );
  if (result.code !== 0) throw new Error(`sm-ssh ${args.join(' ')} failed: ${result.stderr}`);
  if (process.env.SM_SSH_BENCH_VERBOSE)
    process.stderr.write(`[${args.join(' ')}] ${result.stdout}${result.stderr}\n`);
}

function scp(args) {
  return new Promise((resolve, reject) =>
    execFile(
      'scp',
      ['-q', '-F', cli.userConfig, '-o', 'BatchMode=yes', ...args],
      { env: { ...cli.env, ...clientEnv } },
      (error, _o, stderr) => (error ? reject(new Error(`scp failed: ${stderr}`)) : resolve()),
    ),
  );
}

try {
  console.log(
    `sm-ssh cp, ${sizeMiB} MiB each way, AWS's agent (real pacing) in a simulated container, ` +
      (flags.tls ? 'client over TLS (https, wss)' : 'client over plain http and ws'),
  );
  const local = path.join(cli.home, 'up.bin');
  writeRandomFile(local, size);
  await container.exec(`head -c ${size} /dev/urandom > /tmp/down.bin`);
  // Prepares the host (key, pinned host keys, ssh config for scp) outside the timings.
  await container.exec('head -c 10 /dev/urandom > /tmp/warm.bin');
  await smSsh(['cp', `${alias}:/tmp/warm.bin`, path.join(cli.home, 'warm.bin')]);
  for (const sessions of flags.only === 'up' ? [] : sessionCounts) {
    await timed(`down, ${sessions} session(s)`, 'down', sessions, () =>
      smSsh(
        ['cp', '-P', String(sessions), `${alias}:/tmp/down.bin`, path.join(cli.home, `down-${sessions}.bin`)],
        true,
      ),
    );
  }
  for (const sessions of flags.only === 'down' ? [] : sessionCounts) {
    await timed(`up, ${sessions} session(s)`, 'up', sessions, () =>
      smSsh(['cp', '-P', String(sessions), local, `${alias}:/tmp/up-${sessions}.bin`], true),
    );
  }
  if (!flags['skip-scp']) {
    await timed('down, scp', 'down', 'scp', () =>
      scp([`${alias}:/tmp/down.bin`, path.join(cli.home, 'down-scp.bin')]),
    );
    await timed('up, scp', 'up', 'scp', () => scp([local, `${alias}:/tmp/up-scp.bin`]));
  }
  console.log('\nRatios to one session of the same direction:');
  for (const result of results) {
    const base = results.find((r) => r.direction === result.direction && r.sessions === 1);
    if (base) console.log(`  ${result.label.padEnd(22)} ${(result.rate / base.rate).toFixed(2)}×`);
  }
  const worstCpu = Math.max(...results.filter((r) => r.sessions !== 'scp').map((r) => r.cpuPerMiB));
  console.log(`\nsm-ssh cp client CPU, worst setting: ${worstCpu.toFixed(1)} ms/MiB (target < 30)`);
} finally {
  await emulator.close();
  cli.remove();
}
