import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import type { ScenarioDocument } from '../../emulator';

/** How many jobs the Connect benchmark connects to: enough for a stable median on a busy machine. */
export const CONNECT_BENCH_RUNS = 9;

/** The jobs the Connect benchmark connects to, one simulated container each. */
export function connectBenchJobs(runs: number): string[] {
  return Array.from({ length: runs }, (_, i) => `bench-connect-${i + 1}`);
}

/** SSH-ready training jobs and the key bucket, served by scripts/bench.mjs for the Connect benchmark. */
export function connectScenario(runs: number): ScenarioDocument {
  const b = new ScenarioBuilder();
  for (const name of connectBenchJobs(runs)) {
    b.trainingJob(name, { status: 'InProgress', creationTime: '-5m', ssh: { owner: me.userId } });
  }
  return b.bucket().build();
}
