import { spawn } from 'child_process';
import * as vscode from 'vscode';
import type { TestingApi } from '../../../src/extension';
import { createHandOff } from '../../../src/vscode/handOff';
import type { ExplorerNode } from '../../../src/views/nodes/explorerNode';
import { clearProfileSettings, useProfileFor } from '../suite/awsProfile';
import { useSandboxSshConfig, userConfig } from '../suite/sshSandbox';
import { labelOf, treeItems } from '../suite/testingApi';
import { CONNECT_BENCH_RUNS, connectBenchJobs } from './connectScenario';

interface CallRecord {
  readonly time: string;
  readonly operation: string;
  readonly durationMs: number;
}

/** The emulator in its own process, driven through its admin API, as AWS would be: elsewhere. */
class RemoteEmulator {
  constructor(readonly endpoint: string) {}

  private async admin(route: string, method = 'GET', body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.endpoint}/_emulator/${route}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    });
    if (!response.ok) throw new Error(`emulator ${method} ${route}: HTTP ${response.status}`);
    return response.json();
  }

  async calls(): Promise<CallRecord[]> {
    return ((await this.admin('calls')) as { calls: CallRecord[] }).calls;
  }

  async resetCalls(): Promise<void> {
    await this.admin('calls/reset', 'POST');
  }

  async setLatency(ms: number): Promise<void> {
    await this.admin('latency', 'POST', { ms });
  }

  /** A profile for the emulator's default identity, selected in our settings. */
  async useProfile(profile: string): Promise<void> {
    const env = (await this.admin('env')) as Record<string, string>;
    await useProfileFor({ endpoint: this.endpoint, env }, profile);
  }
}

/** One Connect, from the command to `ssh <alias> true` returning. */
interface ConnectRun {
  readonly ms: number;
  readonly rounds: number;
  readonly calls: number;
  readonly timeline: string[];
}

export interface ConnectBenchResults {
  readonly latencyMs: number;
  /** How many jobs were connected to (each a first connection, then a second one). */
  readonly runs: number;
  /** Median from the Connect command to `ssh <alias> true` returning, first connection (key push). */
  readonly firstMs: number;
  readonly firstMinMs: number;
  readonly firstMaxMs: number;
  /** Sequential AWS round trips and AWS calls of the median first connection. */
  readonly firstRounds: number;
  readonly firstCalls: number;
  /** The same again: the key is already installed (median). */
  readonly againMs: number;
  readonly againRounds: number;
  /** The median first connection, step by step: `+ms what`, relative to the Connect command. */
  readonly firstTimeline: readonly string[];
}

/** The ssh a Remote-SSH extension would start on the handoff. */
interface RemoteSsh {
  readonly startedAt: number;
  /** `[time, line]` for the milestones in ssh's -v output and our ProxyCommand's debug log. */
  readonly done: Promise<[number, string][]>;
}

const milestones: [RegExp, string][] = [
  [/Reusing SSH key|Created SSH key/, 'ProxyCommand started (Node, CLI loaded, key read)'],
  [/ssm\.StartSession .* (\d+)ms/, 'ProxyCommand: StartSession returned'],
  [/Session \S+ ready/, 'ProxyCommand: data channel handshake complete'],
  [/Remote protocol version/, 'ssh: sshd banner'],
  [/SSH2_MSG_NEWKEYS received/, 'ssh: key exchange done'],
  [/^Authenticated to /, 'ssh: authenticated'],
];

/** Runs `ssh -v <alias> true` with our debug log on, noting when each milestone line appeared. */
function sshWithMilestones(alias: string): Promise<[number, string][]> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', ['-F', userConfig(), '-o', 'BatchMode=yes', '-v', alias, 'true'], {
      env: { ...process.env, SM_SSH_LOG_LEVEL: 'debug' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const seen: [number, string][] = [];
    let pending = '';
    let all = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const now = Date.now();
      all += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const found = milestones.find(([pattern]) => pattern.test(line));
        if (found && !seen.some(([, text]) => text === found[1])) seen.push([now, found[1]]);
      }
    });
    const timer = setTimeout(() => child.kill(), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(seen);
      else reject(new Error(`ssh ${alias} exited ${code}: ${all.slice(-2000)}`));
    });
  });
}

/**
 * Sequential AWS round trips, from the emulator's call log: with a fixed added latency, calls
 * that start within half of it of the previous one ran concurrently with it.
 */
function sequentialRounds(times: readonly number[], latencyMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let rounds = 0;
  let roundStart = -Infinity;
  for (const t of sorted) {
    if (t - roundStart >= latencyMs / 2) {
      rounds++;
      roundStart = t;
    }
  }
  return rounds;
}

function median<T>(runs: readonly T[], value: (run: T) => number): T {
  return [...runs].sort((a, b) => value(a) - value(b))[Math.floor(runs.length / 2)];
}

/** Connect on `job` and wait for the ssh the handoff started; `handedOff` is filled by the handoff. */
async function measureConnect(
  api: TestingApi,
  emulator: RemoteEmulator,
  job: ExplorerNode,
  handedOff: { ssh?: RemoteSsh },
  latencyMs: number,
): Promise<ConnectRun> {
  await emulator.resetCalls();
  handedOff.ssh = undefined;
  const started = performance.now();
  const startedAt = Date.now();
  const at = (time: number): string => `+${String(Math.round(time - startedAt)).padStart(4)} ms`;
  const result = (await vscode.commands.executeCommand('sagemakerSsh.connect', job, { quiet: true })) as
    { alias: string } | undefined;
  // Set by the handoff during the command (TypeScript cannot see that).
  const remote = handedOff.ssh as RemoteSsh | undefined;
  if (!result || !remote) {
    throw new Error(`Connect failed: ${String(api.shownErrors.at(-1))}`);
  }
  const commandReturned = Date.now();
  const sshMilestones = await remote.done;
  const ms = performance.now() - started;
  const finished = Date.now();
  const calls = (await emulator.calls()).filter((c) => c.operation !== 'DeleteObject');
  const timeline = [
    ...calls.map((c) => ({
      time: Date.parse(c.time),
      text: `${at(Date.parse(c.time))}  ${c.operation} (${c.durationMs} ms)`,
    })),
    { time: remote.startedAt, text: `${at(remote.startedAt)}  handoff: ssh starts, as Remote-SSH would` },
    { time: commandReturned, text: `${at(commandReturned)}  Connect returned` },
    ...sshMilestones.map(([time, text]) => ({ time, text: `${at(time)}  ${text}` })),
    { time: finished, text: `${at(finished)}  ssh ran \`true\`` },
  ]
    .sort((a, b) => a.time - b.time)
    .map((entry) => entry.text);
  return {
    ms,
    rounds: sequentialRounds(
      calls.map((c) => Date.parse(c.time)),
      latencyMs,
    ),
    calls: calls.length,
    timeline,
  };
}

/**
 * Connect latency with 50 ms added to every AWS call, measured in the extension host against the
 * emulator at `endpoint` (its own process, like AWS) on `runs` SSH-ready jobs: each job's first
 * connection (key push) and a second one (key installed). Medians, because one connection on a
 * shared 2-core machine varies by a few hundred milliseconds.
 */
export async function connectBench(
  api: TestingApi,
  endpoint: string,
  runs = CONNECT_BENCH_RUNS,
): Promise<ConnectBenchResults> {
  const latencyMs = 50;
  const userPauseMs = 1500;
  const emulator = new RemoteEmulator(endpoint);
  try {
    await emulator.useProfile('connectbench');
    await useSandboxSshConfig();
    // Remote-SSH starts its ssh when the handoff opens the window; so does the bench.
    const handedOff: { ssh?: RemoteSsh } = {};
    api.setHandOff(
      createHandOff({
        executeCommand: async (command, ...args) => {
          if (command === 'vscode.openFolder') {
            const alias = (args[0] as vscode.Uri).authority.replace(/^ssh-remote\+/, '');
            handedOff.ssh = { startedAt: Date.now(), done: sshWithMilestones(alias) };
          }
          return undefined;
        },
        installedRemoteSsh: () => 'ms-vscode-remote.remote-ssh',
      }),
    );
    const first: ConnectRun[] = [];
    const again: ConnectRun[] = [];
    for (const name of connectBenchJobs(runs)) {
      await emulator.setLatency(0);
      await api.explorer.trainingJobs.refresh({ resetPages: true });
      const job = (await treeItems(api.explorer.trainingJobs)).find((i) => labelOf(i.item) === name)!.node;
      // A user reads the tree before clicking Connect; what the extension does meanwhile counts.
      await new Promise((resolve) => setTimeout(resolve, userPauseMs));
      await emulator.setLatency(latencyMs);
      first.push(await measureConnect(api, emulator, job, handedOff, latencyMs));
      again.push(await measureConnect(api, emulator, job, handedOff, latencyMs));
    }
    const typical = median(first, (r) => r.ms);
    const typicalAgain = median(again, (r) => r.ms);
    return {
      latencyMs,
      runs,
      firstMs: typical.ms,
      firstMinMs: Math.min(...first.map((r) => r.ms)),
      firstMaxMs: Math.max(...first.map((r) => r.ms)),
      firstRounds: typical.rounds,
      firstCalls: typical.calls,
      againMs: typicalAgain.ms,
      againRounds: typicalAgain.rounds,
      firstTimeline: typical.timeline,
    };
  } finally {
    api.setHandOff(undefined);
    await emulator.setLatency(0);
    await clearProfileSettings();
  }
}
