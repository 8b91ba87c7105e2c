import { execFile } from 'child_process';
import { promisify } from 'util';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator';
import { ScenarioBuilder, me, testAccount, testRegion } from '../../builders/scenarioBuilder';
import type { TestingApi } from '../../../src/extension';
import { createHandOff } from '../../../src/vscode/handOff';
import { useEmulatorProfile } from '../suite/awsProfile';
import { useSandboxSshConfig, userConfig } from '../suite/sshSandbox';
import { labelOf, treeItems } from '../suite/testingApi';

const run = promisify(execFile);

export interface ConnectBenchResults {
  readonly latencyMs: number;
  /** From the Connect command to `ssh <alias> true` returning, first connection (key push). */
  readonly firstMs: number;
  readonly firstRounds: number;
  readonly firstCalls: number;
  /** The same again: the key is already installed. */
  readonly againMs: number;
  readonly againRounds: number;
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

/** Connect latency with 50 ms added to every AWS call, measured in the extension host. */
export async function connectBench(api: TestingApi): Promise<ConnectBenchResults> {
  const latencyMs = 50;
  const b = new ScenarioBuilder();
  b.trainingJob('bench-connect', { status: 'InProgress', creationTime: '-5m', ssh: { owner: me.userId } });
  const emulator = await startEmulator({
    scenario: b.build({ s3: { buckets: [{ name: `sagemaker-${testRegion}-${testAccount}` }] } }),
  });
  try {
    await useEmulatorProfile(emulator, 'me', 'connectbench');
    await useSandboxSshConfig();
    api.setHandOff(
      createHandOff({ executeCommand: async () => undefined, installedRemoteSsh: () => 'recorded' }),
    );
    await api.explorer.trainingJobs.refresh({ resetPages: true });
    const job = (await treeItems(api.explorer.trainingJobs)).find(
      (i) => labelOf(i.item) === 'bench-connect',
    )!.node;
    await api.explorer.trainingJobs.getChildren();
    emulator.faults.globalLatencyMs = latencyMs;
    const measure = async (): Promise<{ ms: number; rounds: number; calls: number }> => {
      emulator.calls.clear();
      const started = performance.now();
      const result = (await vscode.commands.executeCommand('sagemakerSsh.connect', job, { quiet: true })) as {
        alias: string;
      };
      if (!result) {
        throw new Error(`Connect failed: ${String(api.shownErrors.at(-1))}`);
      }
      await run('ssh', ['-F', userConfig(), '-o', 'BatchMode=yes', result.alias, 'true'], {
        timeout: 60_000,
      });
      const ms = performance.now() - started;
      const calls = emulator.calls.all().filter((c) => c.operation !== 'DeleteObject');
      return {
        ms,
        rounds: sequentialRounds(
          calls.map((c) => Date.parse(c.time)),
          latencyMs,
        ),
        calls: calls.length,
      };
    };
    const first = await measure();
    const again = await measure();
    return {
      latencyMs,
      firstMs: first.ms,
      firstRounds: first.rounds,
      firstCalls: first.calls,
      againMs: again.ms,
      againRounds: again.rounds,
    };
  } finally {
    api.setHandOff(undefined);
    await vscode.workspace
      .getConfiguration('sagemakerSsh')
      .update('profile', undefined, vscode.ConfigurationTarget.Global);
    await emulator.close();
  }
}
