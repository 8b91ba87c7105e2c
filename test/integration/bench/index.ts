import * as fs from 'fs';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import * as vscode from 'vscode';
import type { TestingApi } from '../../../src/extension';
import { clearProfileSettings, useProfileFor } from '../suite/awsProfile';
import { extensionId } from '../suite/testingApi';
import { connectBench } from './connectBench';
import type { ConnectBenchResults } from './connectBench';

/** What the in-host half of `npm run bench` measures; written to SAGEMAKER_SSH_TEST_BENCH_OUT. */
export interface HostBenchResults {
  readonly activationMs: number;
  readonly eagerSdkImportMs: number;
  readonly refreshMs: readonly number[];
  readonly callsPerRefresh: readonly number[];
  readonly heapAfterFirstMb: number;
  readonly heapAfterLastMb: number;
  readonly rssAfterFirstMb: number;
  readonly rssAfterLastMb: number;
  readonly items: number;
  readonly connect: ConnectBenchResults;
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** A real collection before each memory reading, so the figure is retained memory, not garbage. */
function collectGarbage(): void {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
}

async function measureActivation(): Promise<{ api: TestingApi; ms: number }> {
  const extension = vscode.extensions.getExtension<TestingApi | undefined>(extensionId)!;
  if (extension.isActive) {
    throw new Error('the extension is already active; the activation figure would be meaningless');
  }
  const started = performance.now();
  const api = await extension.activate();
  const ms = performance.now() - started;
  if (!api) {
    throw new Error('no testing API: not in ExtensionMode.Test');
  }
  return { api, ms };
}

/** The baseline lazy loading avoids: what importing the SDK clients at activation would cost. */
function measureEagerImport(): number {
  const started = performance.now();
  for (const name of ['client-sagemaker', 'client-ssm', 'client-s3', 'client-sts', 'credential-providers']) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- measuring a synchronous load is the point
    require(`@aws-sdk/${name}`);
  }
  return performance.now() - started;
}

async function admin(endpoint: string, route: string, method = 'GET'): Promise<unknown> {
  const response = await fetch(`${endpoint}/_emulator/${route}`, { method });
  return response.json();
}

async function callCount(endpoint: string): Promise<number> {
  return ((await admin(endpoint, 'calls')) as { calls: unknown[] }).calls.length;
}

/**
 * In-host half of `npm run bench`: activation time, then 20 refreshes of the Training Jobs view
 * against an emulator running in another process (so its memory does not count as ours).
 */
export async function run(): Promise<void> {
  const out = process.env.SAGEMAKER_SSH_TEST_BENCH_OUT;
  const endpoint = process.env.SAGEMAKER_SSH_TEST_BENCH_ENDPOINT;
  const connectEndpoint = process.env.SAGEMAKER_SSH_TEST_BENCH_CONNECT_ENDPOINT;
  if (!out || !endpoint || !connectEndpoint) {
    throw new Error(
      'SAGEMAKER_SSH_TEST_BENCH_OUT / _ENDPOINT / _CONNECT_ENDPOINT are not set: run this suite through scripts/bench.mjs',
    );
  }
  // The host activates the workbench's built-in extensions at startup on the same thread; measure
  // ours after that settles, as a user's click on the activity bar would find it.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const activation = await measureActivation();
  const eagerSdkImportMs = measureEagerImport();
  await useProfileFor({ endpoint, env: (await admin(endpoint, 'env')) as Record<string, string> }, 'bench');
  const provider = activation.api.explorer.trainingJobs;
  const refreshMs: number[] = [];
  const callsPerRefresh: number[] = [];
  let first = { heap: 0, rss: 0 };
  let items = 0;
  for (let i = 0; i < 21; i++) {
    await admin(endpoint, 'calls/reset', 'POST');
    const started = performance.now();
    await provider.refresh({ resetPages: i === 0 });
    items = (await provider.getChildren()).length;
    refreshMs.push(performance.now() - started);
    callsPerRefresh.push(await callCount(endpoint));
    if (i === 0) {
      collectGarbage();
      first = { heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss };
    }
  }
  collectGarbage();
  const memoryAfterLast = process.memoryUsage();
  const connect = await connectBench(activation.api, connectEndpoint);
  const results: HostBenchResults = {
    activationMs: activation.ms,
    eagerSdkImportMs,
    refreshMs,
    callsPerRefresh,
    heapAfterFirstMb: mb(first.heap),
    heapAfterLastMb: mb(memoryAfterLast.heapUsed),
    rssAfterFirstMb: mb(first.rss),
    rssAfterLastMb: mb(memoryAfterLast.rss),
    items,
    connect,
  };
  fs.writeFileSync(out, JSON.stringify(results, null, 2));
  await clearProfileSettings();
}
