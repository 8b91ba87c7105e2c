#!/usr/bin/env node
// npm run bench:tunnel — throughput of the sm-ssh tunnel (ssh ProxyCommand → our SSM client → the
// emulator's fake service/agent → a real sshd on 127.0.0.1) against plain ssh to the same sshd, in
// the same run. Reports MB/s each way, the ratio to direct ssh, session set-up time after
// StartSession returns (to HandshakeComplete and to the sshd's first byte), and the proxy's peak RSS.
//
// Runs (each way): direct ssh; tunnel with agent pacing off (1 KiB messages both ways, the default);
// tunnel with agent pacing off and 16 KiB messages (--max-payload-size 16384 and a 16 KiB agent
// read size); tunnel with the real agent's pacing (1 KiB reads + 1 ms sleep), on a smaller size.
// The fake agent's strict checks are off here: they cost CPU in this process, not in the tunnel.
// The proxy runs as the extension's launcher runs it: dist/sm-ssh.js (the bundle, with its code
// cache) on node with the launcher's runtime flags. Besides MB/s, each tunnel run reports the proxy's
// CPU time per MiB; its inverse is what the proxy alone could carry with a core to itself, which on
// this 2-core machine (ssh, proxy, emulator and sshd all busy) the wall-clock ratio cannot show.
// AWS's session-manager-plugin runs the same transfers (started by `sm-ssh ssm-proxy --use-plugin`
// through its 6-argument contract, under a python3 wrapper that records its CPU time and peak RSS),
// with agent pacing off and on, and the run ends with the ratios ours / plugin.
// Then the same three clients against AWS's own agent (amazon-ssm-agent from shared/peers in a
// simulated container, sessions relayed by the emulator as the service does): direct ssh to the
// container's sshd, our client and AWS's plugin, each up and down. The real agent paces what it reads
// from the container (1 KiB + 1 ms), so these downloads are the speeds users see.
// Flags: --size MiB (default 256), --paced-size MiB (default 8), --plugin-size MiB (default 32: the
// plugin uploads under 1 MB/s), --agent-size MiB (default 8), --skip-agent, --agent-only, --skip-build.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  chmodSync,
  existsSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCliForBenchmark } from './buildCli.mjs';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const { values: flags } = parseArgs({
  options: {
    size: { type: 'string', default: '256' },
    'paced-size': { type: 'string', default: '8' },
    'plugin-size': { type: 'string', default: '32' },
    'agent-size': { type: 'string', default: '8' },
    'skip-agent': { type: 'boolean', default: false },
    'agent-only': { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
  },
});
const MiB = 1024 * 1024;
const size = Number(flags.size) * MiB;
const pacedSize = Number(flags['paced-size']) * MiB;
const pluginSize = Number(flags['plugin-size']) * MiB;
const agentSize = Number(flags['agent-size']) * MiB;

if (!flags['skip-build']) buildCliForBenchmark(root);
const { PROXY_RUNTIME_FLAGS } = require('./out/src/proxy/proxyLauncher.js');

const work = mkdtempSync(path.join(tmpdir(), 'sm-ssh-bench-'));
const rssLog = path.join(work, 'rss.log');
// The ssh ProxyCommand runs node through this wrapper, which records each proxy's peak RSS (KiB) and
// CPU time (ms) at exit.
const preload = path.join(work, 'record-rss.cjs');
writeFileSync(
  preload,
  `process.on('exit', () => { const cpu = process.cpuUsage(); require('fs').appendFileSync(${JSON.stringify(rssLog)}, process.resourceUsage().maxRSS + ' ' + (cpu.user + cpu.system) / 1000 + '\\n'); });\n`,
);
const runtime = path.join(work, 'node-with-rss');
writeFileSync(
  runtime,
  `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${PROXY_RUNTIME_FLAGS.join(' ')} --require ${JSON.stringify(preload)} "$@"\n`,
);
chmodSync(runtime, 0o755);
process.env.SM_SSH_E2E_NODE = runtime;
process.env.SM_SSH_E2E_CLI = path.join(root, 'dist/sm-ssh.js');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { startTunnelWorld, SSH_TARGET } = require('./out/test/e2e/ssm/support/tunnelWorld.js');
const { throwawaySshArgs } = require('./out/test/builders/throwawaySsh.js');
const { openSession } = require('./out/src/ssm/ssmSession.js');
const { SSMClient, StartSessionCommand } = require('@aws-sdk/client-ssm');
const { peerBinary } = require('./out/test/emulator/peers.js');

// AWS's plugin under a wrapper that records its peak RSS (KiB) and CPU time (ms) the way the
// preload above does for our proxy, into its own log.
const pluginLog = path.join(work, 'plugin-rss.log');
const measuredPlugin = path.join(work, 'measured-session-manager-plugin');
writeFileSync(
  measuredPlugin,
  `#!/usr/bin/python3
import os, sys
plugin = ${JSON.stringify(await peerBinary('session-manager-plugin'))}
pid = os.fork()
if pid == 0:
    os.execv(plugin, [plugin] + sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
with open(${JSON.stringify(pluginLog)}, 'a') as log:
    log.write('%d %f\\n' % (usage.ru_maxrss, (usage.ru_utime + usage.ru_stime) * 1000))
sys.exit(os.waitstatus_to_exitcode(status))
`,
);
chmodSync(measuredPlugin, 0o755);

function writeRandomFile(file, bytes) {
  const fd = openSync(file, 'w');
  for (let written = 0; written < bytes; written += MiB)
    writeFileSync(fd, randomBytes(Math.min(MiB, bytes - written)));
  closeSync(fd);
}

/** Runs ssh with stdin/stdout on file descriptors (no copying through this process). */
function timedSsh(args, env, { stdinFile, remote, log }) {
  return new Promise((resolve, reject) => {
    const stdin = stdinFile ? openSync(stdinFile, 'r') : 'ignore';
    const stdout = openSync('/dev/null', 'w');
    const cpuBefore = cpuSnapshot();
    const started = performance.now();
    const child = spawn('ssh', [...args, remote], { env, stdio: [stdin, stdout, 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (typeof stdin === 'number') closeSync(stdin);
      closeSync(stdout);
      if (code !== 0) reject(new Error(`ssh exited ${code}: ${stderr}`));
      else
        void settled(log).then((proxyRecord) =>
          resolve({ seconds, stderr, proxy: proxyRecord, cpu: cpuSince(cpuBefore) }),
        );
    });
  });
}

// CPU time per component, from /proc (Linux): the ssh client and the ProxyCommand it started and
// reaped are children of this process; each sshd connection and its remote command are children of
// the listening sshd; the emulator (fake service and agent) runs in this process.
const CLOCK_TICK_MS = 1000 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout || 100);
let sshdPid;
function reapedChildrenCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * CLOCK_TICK_MS; // cutime + cstime
  } catch {
    return NaN;
  }
}
function sshdConnections() {
  if (sshdPid === undefined) return 0;
  try {
    return readFileSync(`/proc/${sshdPid}/task/${sshdPid}/children`, 'utf8').trim().length;
  } catch {
    return 0;
  }
}

/** Waits (≤ 3 s) until sshd reaped the connection and the client, if any, recorded its figures in `log`. */
async function settled(log) {
  const deadline = performance.now() + 3000;
  let record;
  while (performance.now() < deadline) {
    record ??= log ? proxyRecords(log)[0] : undefined;
    if ((record || !log) && sshdConnections() === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return record;
}

function cpuSnapshot() {
  const own = process.cpuUsage();
  return {
    emulatorMs: (own.user + own.system) / 1000,
    clientMs: reapedChildrenCpuMs('self'),
    sshdMs: sshdPid === undefined ? NaN : reapedChildrenCpuMs(sshdPid),
  };
}
function cpuSince(before) {
  const now = cpuSnapshot();
  return {
    emulatorMs: now.emulatorMs - before.emulatorMs,
    clientMs: now.clientMs - before.clientMs,
    sshdMs: now.sshdMs - before.sshdMs,
  };
}

/** What each client process that ended since the last call recorded in `log`: [{ rssMB, cpuMs }]. */
function proxyRecords(log) {
  if (!existsSync(log)) return [];
  const lines = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
  rmSync(log);
  return lines.map((line) => {
    const [rssKiB, cpuMs] = line.split(' ').map(Number);
    return { rssMB: rssKiB / 1024, cpuMs };
  });
}

/** CPU ms per MiB of one transfer, by component, less the same components' cost of `ssh … true`. */
function cpuPerMiB(run, proxyRun, idle, idleProxy, mib) {
  const per = (value, idleValue) => Math.max(0, value - idleValue) / mib;
  const proxyMs = proxyRun ? per(proxyRun.cpuMs, idleProxy.cpuMs) : 0;
  // ssh does not wait for its ProxyCommand (it signals it and exits), so our reaped-children time is ssh's alone.
  const components = {
    ssh: per(run.cpu.clientMs, idle.cpu.clientMs),
    proxy: proxyMs,
    emulator: proxyRun ? per(run.cpu.emulatorMs, idle.cpu.emulatorMs) : 0,
    sshd: per(run.cpu.sshdMs, idle.cpu.sshdMs),
  };
  return { ...components, total: Object.values(components).reduce((sum, ms) => sum + ms, 0) };
}

async function measure(label, args, env, bytes, upFile, { proxy = true, log = rssLog } = {}) {
  // Where the client process under test records its figures (none for direct ssh).
  const recorded = proxy ? log : undefined;
  if (recorded) proxyRecords(recorded);
  const idle = await timedSsh(args, env, { remote: 'true', log: recorded });
  const up = await timedSsh(args, env, { stdinFile: upFile, remote: 'cat > /dev/null', log: recorded });
  const down = await timedSsh(args, env, { remote: `head -c ${bytes} /dev/zero`, log: recorded });
  const [idleProxy, upProxy, downProxy] = [idle.proxy, up.proxy, down.proxy];
  // Subtract the connection set-up (node start, StartSession, ssh key exchange) measured just before.
  const rate = (run) => bytes / MiB / Math.max(0.001, run.seconds - idle.seconds);
  const mib = bytes / MiB;
  const result = {
    label,
    sizeMiB: mib,
    setupSeconds: idle.seconds,
    upMBps: rate(up),
    downMBps: rate(down),
    upCpu: cpuPerMiB(up, upProxy, idle, idleProxy, mib),
    downCpu: cpuPerMiB(down, downProxy, idle, idleProxy, mib),
    peakRssMB: proxy ? Math.max(idleProxy.rssMB, upProxy.rssMB, downProxy.rssMB) : undefined,
  };
  console.log(
    `${label.padEnd(44)} ${String(result.sizeMiB).padStart(4)} MiB  up ${result.upMBps.toFixed(1).padStart(6)} MB/s  ` +
      `down ${result.downMBps.toFixed(1).padStart(6)} MB/s  (ssh connect ${result.setupSeconds.toFixed(2)} s)` +
      (proxy
        ? `  proxy CPU ${result.upCpu.proxy.toFixed(1)} / ${result.downCpu.proxy.toFixed(1)} ms/MiB, peak RSS ${result.peakRssMB.toFixed(0)} MB`
        : ''),
  );
  return result;
}

async function setupTimes(world, count) {
  const client = new SSMClient({
    endpoint: world.emulator.endpoint,
    region: world.emulator.state.region,
    credentials: world.emulator.credentials('developer'),
  });
  const toHandshake = [];
  const toFirstByte = [];
  for (let i = 0; i < count; i += 1) {
    const output = await client.send(
      new StartSessionCommand({
        Target: SSH_TARGET,
        DocumentName: 'AWS-StartSSHSession',
        Parameters: { portNumber: ['22'] },
      }),
    );
    const returned = performance.now();
    const session = await openSession({
      sessionId: output.SessionId,
      streamUrl: output.StreamUrl,
      tokenValue: output.TokenValue,
    });
    toHandshake.push(session.timings.handshakeCompletedAt - returned);
    await new Promise((resolve) => session.setReceiver({ onData: resolve, state: () => 'ready' }));
    toFirstByte.push(session.timings.firstOutputAt - returned);
    session.close();
  }
  client.destroy();
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { handshakeMs: median(toHandshake), firstByteMs: median(toFirstByte) };
}

if (flags['agent-only']) {
  try {
    await agentRows();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}

let behaviour = { strict: false };
const world = await startTunnelWorld({ behaviour: () => behaviour });
sshdPid = world.sshd.pid;
try {
  const upFile = path.join(work, 'upload.bin');
  writeRandomFile(upFile, size);
  const pacedUpFile = path.join(work, 'upload-paced.bin');
  writeRandomFile(pacedUpFile, pacedSize);
  const env = world.cliEnv;
  const directArgs = [
    ...throwawaySshArgs(world.sshd.clientKeyPath),
    '-o',
    'LogLevel=ERROR',
    '-p',
    String(world.sshd.port),
    `${world.sshd.user}@127.0.0.1`,
  ];
  const inTunnel = (extra) => world.sshArgs(SSH_TARGET, extra);

  console.log(
    `sm-ssh tunnel benchmark (${process.platform}, node ${process.version}, ${(await import('node:os')).cpus().length} CPUs)\n`,
  );
  const direct = await measure('direct ssh (same sshd)', directArgs, env, size, upFile, { proxy: false });

  behaviour = { strict: false, pacing: false };
  const plain = await measure(
    'tunnel, pacing off, 1 KiB messages (default)',
    inTunnel([]),
    env,
    size,
    upFile,
  );

  behaviour = { strict: false, pacing: false, readSize: 16384 };
  const large = await measure(
    'tunnel, pacing off, 16 KiB messages',
    inTunnel(['--max-payload-size', '16384']),
    env,
    size,
    upFile,
  );

  behaviour = { strict: false, pacing: true };
  const paced = await measure(
    'tunnel, agent pacing on (1 KiB + 1 ms)',
    inTunnel([]),
    env,
    pacedSize,
    pacedUpFile,
  );

  // AWS's plugin, launched by our CLI (`--use-plugin`) under the measuring wrapper; the plugin's
  // figures go to their own log, so the rows measure the plugin alone.
  const pluginArgs = inTunnel(['--use-plugin', '--plugin-path', measuredPlugin]);
  const pluginUpFile = path.join(work, 'upload-plugin.bin');
  writeRandomFile(pluginUpFile, pluginSize);
  behaviour = { strict: false, pacing: false };
  const plugin = await measure("AWS's plugin, pacing off", pluginArgs, env, pluginSize, pluginUpFile, {
    log: pluginLog,
  });
  behaviour = { strict: false, pacing: true };
  const pluginPaced = await measure(
    "AWS's plugin, agent pacing on (1 KiB + 1 ms)",
    pluginArgs,
    env,
    pacedSize,
    pacedUpFile,
    { log: pluginLog },
  );

  behaviour = { strict: false };
  const setup = await setupTimes(world, 20);

  const ratio = (run) =>
    `up ${((run.upMBps / direct.upMBps) * 100).toFixed(0)} %, down ${((run.downMBps / direct.downMBps) * 100).toFixed(0)} %`;
  // MB/s the proxy alone could carry on one core, from its CPU time per MiB.
  const capacity = (run) => ({
    up: MiB / 1e6 / (run.upCpu.proxy / 1000),
    down: MiB / 1e6 / (run.downCpu.proxy / 1000),
  });
  const capacityLine = (run) => {
    const c = capacity(run);
    return `${c.up.toFixed(0)} / ${c.down.toFixed(0)} MB/s = up ${((c.up / direct.upMBps) * 100).toFixed(0)} %, down ${((c.down / direct.downMBps) * 100).toFixed(0)} % of direct ssh`;
  };
  console.log("\nRatio to direct ssh (wall clock, 4 busy processes on this machine's cores):");
  console.log(`  pacing off, 1 KiB:   ${ratio(plain)}   (target >= 50 %)`);
  console.log(`  pacing off, 16 KiB:  ${ratio(large)}`);
  console.log(
    `  pacing on:           ${ratio(paced)}   (the real agent's pacing caps downloads near 1 MB/s)`,
  );
  console.log('\nWhat the proxy alone could carry with a core to itself (from its CPU time per MiB):');
  console.log(`  pacing off, 1 KiB:   ${capacityLine(plain)}`);
  console.log(`  pacing off, 16 KiB:  ${capacityLine(large)}`);
  // Where the CPU goes. When every core is busy in both runs (as here), the wall-clock ratio is close
  // to direct ssh's CPU per MiB over the tunnel's; the ssh client and sshd cost the same in both runs.
  const cpuLine = (name, cpu, directCpu) =>
    `  ${name.padEnd(22)} ssh ${cpu.ssh.toFixed(1).padStart(4)}  proxy ${cpu.proxy.toFixed(1).padStart(4)}  ` +
    `emulator ${cpu.emulator.toFixed(1).padStart(4)}  sshd ${cpu.sshd.toFixed(1).padStart(4)}  = ${cpu.total.toFixed(1).padStart(5)} ms/MiB` +
    (cpu === directCpu ? '' : `  (CPU-bound ratio ${((directCpu.total / cpu.total) * 100).toFixed(0)} %)`);
  console.log('\nCPU per MiB by process (the emulator stands in for the SSM service and the remote agent):');
  for (const [name, run] of [
    ['direct', direct],
    ['1 KiB', plain],
    ['16 KiB', large],
  ]) {
    console.log(cpuLine(`up, ${name}`, run.upCpu, direct.upCpu));
    console.log(cpuLine(`down, ${name}`, run.downCpu, direct.downCpu));
  }
  console.log("\nOurs / AWS's plugin (same tunnel, same sshd; CPU and RSS of the client process alone):");
  const versus = (name, ours, theirs) => {
    const times = (a, b) => `${(a / b).toFixed(1)}x`;
    console.log(
      `  ${name.padEnd(12)} up ${ours.upMBps.toFixed(1)} / ${theirs.upMBps.toFixed(1)} MB/s = ${times(ours.upMBps, theirs.upMBps)} (target >= 20x)` +
        `, down ${ours.downMBps.toFixed(1)} / ${theirs.downMBps.toFixed(1)} MB/s = ${times(ours.downMBps, theirs.downMBps)}`,
    );
    console.log(
      `  ${''.padEnd(12)} CPU up ${ours.upCpu.proxy.toFixed(1)} / ${theirs.upCpu.proxy.toFixed(1)} ms/MiB = ${(ours.upCpu.proxy / theirs.upCpu.proxy).toFixed(2)}` +
        `, down ${ours.downCpu.proxy.toFixed(1)} / ${theirs.downCpu.proxy.toFixed(1)} ms/MiB = ${(ours.downCpu.proxy / theirs.downCpu.proxy).toFixed(2)} (target <= 0.5)` +
        `, peak RSS ${ours.peakRssMB.toFixed(0)} / ${theirs.peakRssMB.toFixed(0)} MB (target ours < 64 MB)`,
    );
  };
  versus('pacing off', plain, plugin);
  versus('pacing on', paced, pluginPaced);
  console.log(
    `\nSession set-up after StartSession returns (median of 20, loopback): HandshakeComplete ${setup.handshakeMs.toFixed(1)} ms, first sshd byte ${setup.firstByteMs.toFixed(1)} ms (target < 100 ms)`,
  );
  console.log(
    `Proxy peak RSS (runtime flags ${PROXY_RUNTIME_FLAGS.join(' ')}): ${plain.peakRssMB.toFixed(0)} MB (1 KiB), ${large.peakRssMB.toFixed(0)} MB (16 KiB), ${paced.peakRssMB.toFixed(0)} MB (paced) (target < 100 MB)`,
  );
} finally {
  await world.close();
}

/** The three clients against AWS's agent in a simulated container, and ours over AWS's plugin. */
async function agentRows() {
  const { startAgentWorld } = require('./out/test/e2e/ssm/support/agentWorld.js');
  let agentWorld;
  try {
    agentWorld = await startAgentWorld('sm-ssh');
  } catch (error) {
    console.log(`\nAWS's agent rows skipped: ${error.message}`);
    return;
  }
  sshdPid = undefined; // the container's sshd runs in its own PID namespace: its CPU is not split out
  try {
    const upFile = path.join(work, 'upload-agent.bin');
    writeRandomFile(upFile, agentSize);
    const env = agentWorld.client.env;
    const host = (args) => [...args, agentWorld.target];
    console.log(`\nAgainst AWS's amazon-ssm-agent (relayed by the emulator; the agent paces its reads):`);
    const direct = await measure(
      'direct ssh (container sshd)',
      [
        ...throwawaySshArgs(agentWorld.keyPath),
        '-o',
        'LogLevel=ERROR',
        '-p',
        String(agentWorld.sshdPort),
        'root@127.0.0.1',
      ],
      env,
      agentSize,
      upFile,
      { proxy: false },
    );
    const ours = await measure(
      "our client ↔ AWS's agent",
      host(agentWorld.sshArgs()),
      env,
      agentSize,
      upFile,
    );
    const plugin = await measure(
      "AWS's plugin ↔ AWS's agent",
      host(agentWorld.sshArgs(['--use-plugin', '--plugin-path', measuredPlugin])),
      env,
      agentSize,
      upFile,
      { log: pluginLog },
    );
    const times = (a, b) => `${(a / b).toFixed(1)}x`;
    console.log("\nOurs / AWS's plugin against AWS's agent (client process alone):");
    console.log(
      `  up ${ours.upMBps.toFixed(2)} / ${plugin.upMBps.toFixed(2)} MB/s = ${times(ours.upMBps, plugin.upMBps)} (target >= 20x), ` +
        `down ${ours.downMBps.toFixed(2)} / ${plugin.downMBps.toFixed(2)} MB/s = ${times(ours.downMBps, plugin.downMBps)}; ` +
        `direct ssh up ${direct.upMBps.toFixed(1)}, down ${direct.downMBps.toFixed(1)} MB/s`,
    );
    console.log(
      `  CPU up ${ours.upCpu.proxy.toFixed(1)} / ${plugin.upCpu.proxy.toFixed(1)} ms/MiB = ${(ours.upCpu.proxy / plugin.upCpu.proxy).toFixed(2)}, ` +
        `down ${ours.downCpu.proxy.toFixed(1)} / ${plugin.downCpu.proxy.toFixed(1)} ms/MiB = ${(ours.downCpu.proxy / plugin.downCpu.proxy).toFixed(2)} (target <= 0.5), ` +
        `peak RSS ${ours.peakRssMB.toFixed(0)} / ${plugin.peakRssMB.toFixed(0)} MB (target ours < 64 MB)`,
    );
  } finally {
    await agentWorld.close();
  }
}

try {
  if (!flags['skip-agent']) await agentRows();
} finally {
  rmSync(work, { recursive: true, force: true });
}
