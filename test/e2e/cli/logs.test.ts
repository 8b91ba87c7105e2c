import * as assert from 'node:assert/strict';
import { SageMakerClient, StopTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { trainingStreamName } from '../../emulator/services/logs';
import { ScenarioBuilder, me, testRegion } from '../../builders/scenarioBuilder';
import { cliHome } from './cliHarness';
import type { CliHome } from './cliHarness';

const GROUP = '/aws/sagemaker/TrainingJobs';

/** `sm-ssh logs` as a user runs it: a real process, AWS config pointing at the emulator. */
describe('sm-ssh logs against the emulator’s CloudWatch Logs', function () {
  this.timeout(120_000);
  let emulator: Emulator;
  const homes: CliHome[] = [];
  /** A fresh user machine whose AWS profile is `identity`. */
  const userOf = (identity: string): CliHome => {
    const made = cliHome(emulator, { identity });
    homes.push(made);
    return made;
  };

  before(async () => {
    const b = new ScenarioBuilder();
    b.trainingJob('log-job', { status: 'InProgress', instanceCount: 2, creationTime: '-5m' });
    b.trainingJob('old-job', { status: 'Completed', creationTime: '-1h' });
    const reader = {
      ...me,
      name: 'no-logs',
      accessKeyId: 'AKIANOLOGSEXAMPLE',
      deny: ['logs:FilterLogEvents'],
    };
    emulator = await startEmulator({
      scenario: b
        .identities(me, reader)
        .bucket()
        .build({ options: { stopDelayMs: 500 } }),
    });
  });
  after(async () => {
    await emulator.close();
    homes.forEach((home) => home.remove());
  });

  it('prints the log of an ended job with time and node, then exits', async () => {
    const job = emulator.state.trainingJobs.get('old-job')!;
    emulator.logs.append(GROUP, trainingStreamName(job, 1), [
      { timestamp: Date.UTC(2026, 0, 1), message: 'done!' },
    ]);
    const { code, stdout, stderr } = await userOf('me').run(['logs', 'old-job.training.sagemaker']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z algo-1 \[Training\]/m);
    assert.match(stdout, /^2026-01-01T00:00:00\.000Z algo-1 done!$/m);
  });

  it('-f prints lines appended after it started, then exits once the job has stopped', async () => {
    const job = emulator.state.trainingJobs.get('log-job')!;
    const child = userOf('me').spawn(['logs', 'log-job', '-f']);
    let stdout = '';
    let stderr = '';
    const waiters: { pattern: RegExp; done: () => void }[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      for (const waiter of waiters.filter((w) => w.pattern.test(stdout))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.done();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const waitFor = (pattern: RegExp): Promise<void> =>
      pattern.test(stdout) ? Promise.resolve() : new Promise((done) => waiters.push({ pattern, done }));
    try {
      await waitFor(/algo-2 \[Training\]/);
      emulator.logs.appendText(GROUP, trainingStreamName(job, 2), 'epoch 1 loss=0.25\n');
      await waitFor(/algo-2 epoch 1 loss=0\.25$/m);
      const sagemaker = new SageMakerClient({
        endpoint: emulator.endpoint,
        region: testRegion,
        credentials: emulator.credentials('me'),
      });
      await sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: 'log-job' }));
      emulator.logs.appendText(GROUP, trainingStreamName(job, 1), 'saving checkpoint\n');
      assert.equal(await exited, 0, stderr);
      assert.match(stdout, /algo-1 saving checkpoint$/m);
      assert.equal(stdout.match(/epoch 1 loss/g)?.length, 1, 'each line once');
    } finally {
      child.kill();
    }
  });

  it('a user denied logs:FilterLogEvents gets an error naming the action and the log group', async () => {
    const failure = await userOf('no-logs').run(['logs', 'old-job']);
    assert.notEqual(failure.code, 0);
    assert.match(failure.stderr, /logs:FilterLogEvents/);
    assert.match(failure.stderr, /log-group:\/aws\/sagemaker\/TrainingJobs/);
  });

  it('says so when an ended job has no stream for the node asked for', async () => {
    const failure = await userOf('me').run(['logs', 'algo-3.old-job.training.sagemaker']);
    assert.notEqual(failure.code, 0);
    assert.strictEqual(failure.stdout, '');
    assert.match(failure.stderr, /old-job has no log stream for algo-3/);
  });

  it('refuses a Studio app and an unknown flag as usage errors', async () => {
    for (const args of [
      ['logs', 'app.space.d-abc.studio.sagemaker'],
      ['logs', 'old-job', '--bogus'],
    ]) {
      const failure = await userOf('me').run(args);
      assert.notEqual(failure.code, 0, `expected ${args.join(' ')} to fail`);
      assert.match(failure.stderr, /sm-ssh --help/);
    }
  });
});
