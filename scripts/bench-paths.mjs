#!/usr/bin/env node
// npm run bench:paths — Connect on each way into a container, from the CLI, against the emulator
// with simulated containers running AWS's agent and a fixed latency added to every AWS call:
//   payload    a training job running our payload (mi- instance, key through Run Command)
//   debug      a training job with SageMaker remote debug (our sshd started over a shell session)
//   hyperpod   a HyperPod node (key into ubuntu's authorized_keys over a shell session, port 22)
//   space      a Studio space with remote access (sagemaker:StartSession, host key by key exchange)
// For each: `sm-ssh connect <alias> true` on a fresh client (the first Connect), then a plain
// `ssh <alias> true` (what Remote-SSH's reconnects and any terminal cost), with wall-clock time,
// the AWS calls the client made and how many of them ran one after another (sequential rounds).
// The payload row is the baseline the native paths are compared with.
// Flags: --latency ms (default 50), --runs n (default 3, the median is printed).
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const { values: flags } = parseArgs({
  options: {
    latency: { type: 'string', default: '50' },
    runs: { type: 'string', default: '3' },
  },
});
const latencyMs = Number(flags.latency);
const runs = Number(flags.runs);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { startEmulator } = require('./out/test/emulator/index.js');
const { ScenarioBuilder, me } = require('./out/test/builders/scenarioBuilder.js');
const { cliHome, cliPath } = require('./out/test/e2e/cli/cliHarness.js');
const { installSpaceRuntime } = require('./out/test/emulator/containers/spaceRuntime.js');
const { targetAlias } = require('./out/src/targets/targetAlias.js');
const { trainingNodeTarget } = require('./out/src/targets/sshTarget.js');
const { remoteDebugNodeTarget } = require('./out/src/targets/remoteDebugNode.js');
const { studioSpaceTarget } = require('./out/src/targets/studioSpace.js');

const DOMAIN = 'd-benchpaths01';
const CLUSTER_ID = 'benchpaths01';
const NODE = 'i-0123456789abcdef0';

function scenario() {
  const b = new ScenarioBuilder();
  for (let i = 0; i < runs; i += 1) {
    b.trainingJob(`Payload-${i}`, { creationTime: '-5m', ssh: { owner: me.userId } });
    b.trainingJob(`Debug-${i}`, { creationTime: '-5m', remoteDebug: { nodes: 1 } });
  }
  b.domain({
    id: DOMAIN,
    name: 'bench',
    spaces: Array.from({ length: runs }, (_, i) => ({
      name: `space-${i}`,
      appType: 'JupyterLab',
      remoteAccess: 'ENABLED',
      apps: [{ type: 'JupyterLab', name: 'default', status: 'Deleted', instanceType: 'ml.m5.large' }],
    })),
  });
  const built = b.build();
  const clusters = [
    {
      name: 'bench-cluster',
      id: CLUSTER_ID,
      instanceGroups: [
        {
          name: 'workers',
          instanceType: 'ml.g5.2xlarge',
          nodes: Array.from({ length: runs }, (_, i) => ({
            id: `${NODE.slice(0, -1)}${i}`,
            container: true,
          })),
        },
      ],
    },
  ];
  return {
    ...built,
    sagemaker: { ...built.sagemaker, clusters },
    latencyMs,
    options: { stopDelayMs: 200 },
  };
}

function runCli(home, args) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { env: home.env, timeout: 170_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** The client's AWS calls since `since` (not the agents' own polling, credentials and reports). */
function clientCalls(emulator, since) {
  return emulator.calls.filter({ since }).filter((call) => call.identity === me.arn);
}

/** Calls that start within half the added latency of the previous one ran concurrently with it. */
function sequentialRounds(calls) {
  let rounds = 0;
  let roundStart = -Infinity;
  for (const t of calls.map((c) => Date.parse(c.time)).sort((a, b) => a - b)) {
    if (t - roundStart >= latencyMs / 2) {
      rounds += 1;
      roundStart = t;
    }
  }
  return rounds;
}

/** Waits until the previous run's last calls (a ProxyCommand's TerminateSession after ssh exits) are in. */
async function settled(emulator) {
  for (let waited = 0, seen = -1; waited < 3000 && seen !== emulator.calls.lastSeq; waited += 250) {
    seen = emulator.calls.lastSeq;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function measure(emulator, home, args) {
  await settled(emulator);
  const since = emulator.calls.lastSeq;
  const started = performance.now();
  const result = await runCli(home, args);
  const ms = performance.now() - started;
  if (result.code !== 0) throw new Error(`sm-ssh ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  const calls = clientCalls(emulator, since);
  return {
    ms,
    calls: calls.length,
    rounds: sequentialRounds(calls),
    operations: calls.map((c) => c.operation),
  };
}

async function sshRun(home, alias) {
  const started = performance.now();
  await home.ssh(alias, 'true');
  return performance.now() - started;
}

const median = (values, key) => [...values].sort((a, b) => a[key] - b[key])[Math.floor(values.length / 2)];

const emulator = await startEmulator({ scenario: scenario() });
installSpaceRuntime(emulator);
const homes = [];
try {
  const paths = [
    ['payload (Run Command)', (i) => targetAlias(trainingNodeTarget(`Payload-${i}`))],
    ['remote debug', (i) => targetAlias(remoteDebugNodeTarget(`Debug-${i}`))],
    [
      'HyperPod node',
      (i) =>
        targetAlias({
          kind: 'hyperPodNode',
          clusterName: 'bench-cluster',
          group: 'workers',
          instanceId: `${NODE.slice(0, -1)}${i}`,
        }),
    ],
    ['Studio space', (i) => targetAlias(studioSpaceTarget(DOMAIN, `space-${i}`))],
  ];
  const admin = cliHome(emulator);
  homes.push(admin);
  for (let i = 0; i < runs; i += 1) {
    const started = await runCli(admin, ['space', 'start', paths[3][1](i)]);
    if (started.code !== 0) throw new Error(`space start: ${started.stderr}`);
  }
  console.log(
    `Connect by path (sm-ssh CLI, ${latencyMs} ms added per AWS call, median of ${runs}; ` +
      `AWS's agent in simulated containers)\n`,
  );
  const rows = [];
  for (const [name, alias] of paths) {
    const firsts = [];
    const agains = [];
    for (let i = 0; i < runs; i += 1) {
      const home = cliHome(emulator);
      homes.push(home);
      firsts.push(await measure(emulator, home, ['connect', alias(i), 'true']));
      await settled(emulator);
      const since = emulator.calls.lastSeq;
      const ms = await sshRun(home, alias(i));
      const calls = clientCalls(emulator, since);
      agains.push({ ms, calls: calls.length, rounds: sequentialRounds(calls) });
    }
    const first = median(firsts, 'ms');
    const again = median(agains, 'ms');
    rows.push({ name, first, again });
    console.log(
      `  ${name.padEnd(22)} first Connect ${first.ms.toFixed(0).padStart(5)} ms, ${first.rounds} rounds ` +
        `(${first.calls} calls: ${first.operations.join(', ')})`,
    );
    console.log(
      `  ${''.padEnd(22)} plain ssh     ${again.ms.toFixed(0).padStart(5)} ms, ${again.rounds} rounds (${again.calls} calls)`,
    );
  }
  const base = rows[0];
  console.log('\nAgainst the payload path (first Connect / plain ssh):');
  for (const row of rows.slice(1)) {
    console.log(
      `  ${row.name.padEnd(22)} ${(row.first.ms / base.first.ms).toFixed(2)}× / ${(row.again.ms / base.again.ms).toFixed(2)}×`,
    );
  }
} finally {
  for (const home of homes) home.remove();
  await emulator.close();
}
