import * as assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SageMakerClient, SearchCommand } from '@aws-sdk/client-sagemaker';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { validateScenario } from '..';

const CLI = path.resolve(__dirname, '../../emulator/cli.js');
const DEMO = path.resolve(__dirname, '../../../../test/emulator/scenarios/demo.json');

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(args: string[]): {
  child: ChildProcessWithoutNullStreams;
  finished: Promise<Finished>;
  output: () => string;
} {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<Finished>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, finished, output: () => stdout };
}

async function waitForLine(
  output: () => string,
  pattern: RegExp,
  finished: Promise<Finished>,
): Promise<void> {
  let exited = false;
  void finished.then(() => (exited = true));
  for (let waited = 0; !pattern.test(output()); waited += 20) {
    if (exited) throw new Error(`the CLI exited before printing ${pattern}: ${output()}`);
    if (waited > 10_000) throw new Error(`timed out waiting for ${pattern}: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('emulator: CLI', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'emulator-cli-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves a scenario on a random port, prints the environment, and exits cleanly on SIGTERM', async () => {
    const { child, finished, output } = runCli(['--scenario', DEMO, '--port', '0']);
    try {
      await waitForLine(output, /^export AWS_SECRET_ACCESS_KEY=.+$/m, finished);
      const env = Object.fromEntries(
        [...output().matchAll(/^export (\w+)=(.*)$/gm)].map((match) => [match[1]!, match[2]!]),
      );
      assert.match(env.AWS_ENDPOINT_URL!, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(output().includes(`listening on ${env.AWS_ENDPOINT_URL}`));
      const config = {
        endpoint: env.AWS_ENDPOINT_URL,
        region: env.AWS_REGION,
        credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
        maxAttempts: 1,
      };
      const identity = await new STSClient(config).send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Arn, 'arn:aws:iam::123456789012:user/developer');
      const jobs = await new SageMakerClient(config).send(
        new SearchCommand({
          Resource: 'TrainingJob',
          SearchExpression: { Filters: [{ Name: 'TrainingJobStatus', Value: 'InProgress' }] },
        }),
      );
      assert.ok(jobs.Results!.length >= 3);
      child.kill('SIGTERM');
      const result = await finished;
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Received SIGTERM; stopping the emulator\./);
      assert.equal(isRunning(child.pid!), false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('prints the environment of another identity with --identity', async () => {
    const { child, finished, output } = runCli(['--scenario', DEMO, '--identity', 'teammate']);
    try {
      await waitForLine(output, /^export AWS_SECRET_ACCESS_KEY=/m, finished);
      assert.match(output(), /^export AWS_ACCESS_KEY_ID=AKIAEMULATORTEAMMATE0$/m);
      child.kill('SIGINT');
      const result = await finished;
      assert.equal(result.code, 0, `signal ${result.signal}; stderr: ${result.stderr}`);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('writes a generated scenario with --generate', async () => {
    const out = path.join(dir, 'scale.json');
    const result = await runCli(['--generate', 'jobs=200,instances=50,apps=4', '--seed', '9', '--out', out])
      .finished;
    assert.equal(result.code, 0, result.stderr);
    const document = JSON.parse(await readFile(out, 'utf8')) as unknown;
    const scenario = validateScenario(document, new Date());
    assert.equal(scenario.sagemaker!.trainingJobs!.length, 200);
    assert.equal(scenario.ssm!.instances!.length, 50);
  });

  it('exits 1 with the problems of an invalid scenario, and 2 on bad usage', async () => {
    const bad = path.join(dir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({ sagemaker: { trainingJobs: [{ name: 'x', status: 'Sleeping' }] } }),
    );
    const invalid = await runCli(['--scenario', bad]).finished;
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /\$\.sagemaker\.trainingJobs\[0\]\.status: must be one of/);
    const usage = await runCli(['--bogus', '1']).finished;
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /Unknown option --bogus\n\nUsage:/);
    const generate = await runCli(['--generate', 'jobs=many']).finished;
    assert.equal(generate.code, 2);
  });
});
