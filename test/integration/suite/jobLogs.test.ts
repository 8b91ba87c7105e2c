import * as assert from 'assert';
import * as vscode from 'vscode';
import { startEmulator } from '../../emulator';
import type { Emulator } from '../../emulator';
import { trainingStreamName } from '../../emulator/services/logs';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import type { TestingApi } from '../../../src/extension';
import type { ExplorerNode } from '../../../src/views/nodes/explorerNode';
import { clearProfileSettings, useEmulatorProfile } from './awsProfile';
import { jobNode, testingApi } from './testingApi';

const GROUP = '/aws/sagemaker/TrainingJobs';

function statusOf(node: ExplorerNode): string {
  return (node as unknown as { entry: { job: { status: string } } }).entry.job.status;
}

/** Runs a command expected to fail and returns the error it showed. */
async function shownError(
  api: TestingApi,
  command: string,
  ...args: unknown[]
): Promise<Error & { code?: string }> {
  const before = api.shownErrors.length;
  const result = await vscode.commands.executeCommand(command, ...args);
  assert.strictEqual(result, undefined);
  assert.ok(api.shownErrors.length > before, `${command} showed no error`);
  return api.shownErrors[api.shownErrors.length - 1] as Error & { code?: string };
}

describe('Show Logs and Stop Training Job in the extension host', function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let api: TestingApi;

  before(async () => {
    api = await testingApi();
    const b = new ScenarioBuilder();
    b.trainingJob('live-job', { status: 'InProgress', instanceCount: 2, creationTime: '-10m' });
    b.trainingJob('done-job', { status: 'Completed', creationTime: '-1h' });
    emulator = await startEmulator({
      scenario: b
        .identities(
          me,
          { ...me, name: 'nologs', accessKeyId: 'AKIANOLOGSEXAMPLE', deny: ['logs:FilterLogEvents'] },
          { ...me, name: 'nostop', accessKeyId: 'AKIANOSTOPEXAMPLE', deny: ['sagemaker:StopTrainingJob'] },
        )
        .build({ options: { stopDelayMs: 500 } }),
    });
    await useEmulatorProfile(emulator, 'me');
  });
  after(async () => {
    await clearProfileSettings();
    await emulator.close();
  });

  it('Show Logs follows both nodes live; Stop Training Job moves the job to Stopped and the log ends', async () => {
    const job = emulator.state.trainingJobs.get('live-job')!;
    const lines: string[] = [];
    const waiters: { pattern: RegExp; done: () => void }[] = [];
    const onLine = (line: string): void => {
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.done();
      }
    };
    const waitForLine = (pattern: RegExp): Promise<void> =>
      lines.some((line) => pattern.test(line))
        ? Promise.resolve()
        : new Promise((done) => waiters.push({ pattern, done }));
    const node = await jobNode(api, 'live-job');
    const shown = vscode.commands.executeCommand('sagemakerSsh.showJobLogs', node, {
      node: 'all',
      onLine,
    }) as Thenable<{ channel: string; end: string; lines: number } | undefined>;
    await waitForLine(/algo-2 \[Training\]/);
    emulator.logs.appendText(GROUP, trainingStreamName(job, 2), 'epoch 7 accuracy=0.91\n');
    await waitForLine(/^\S+Z algo-2 epoch 7 accuracy=0\.91$/);

    const stopped = (await vscode.commands.executeCommand('sagemakerSsh.stopTrainingJob', node, {
      confirmed: true,
    })) as { jobName: string } | undefined;
    assert.deepStrictEqual(stopped, { jobName: 'live-job' });
    assert.strictEqual(emulator.calls.count({ operation: 'StopTrainingJob' }), 1);
    const result = await shown;
    assert.ok(result, 'Show Logs returned nothing; see the shown errors');
    assert.strictEqual(result.end, 'jobEnded');
    assert.strictEqual(result.channel, 'SageMaker Logs: live-job');
    assert.strictEqual(lines.filter((l) => l.includes('epoch 7')).length, 1);
    // Stopping → Stopped: the emulator completes the stop after stopDelayMs; the view shows it.
    let status = statusOf(await jobNode(api, 'live-job'));
    while (status !== 'Stopped') {
      assert.ok(status === 'Stopping', `unexpected status ${status}`);
      await new Promise((done) => setTimeout(done, 200));
      status = statusOf(await jobNode(api, 'live-job'));
    }
  });

  it('Stop Training Job on a job that is not InProgress says so', async () => {
    const error = await shownError(api, 'sagemakerSsh.stopTrainingJob', await jobNode(api, 'done-job'), {
      confirmed: true,
    });
    assert.strictEqual(error.code, 'JobNotInProgress');
    assert.strictEqual(emulator.calls.count({ operation: 'StopTrainingJob' }), 1);
  });

  it('names the IAM action when StopTrainingJob or FilterLogEvents is denied', async () => {
    emulator.state.trainingJobs.update(emulator.state.trainingJobs.get('done-job')!, (record) => {
      record.status = 'InProgress';
    });
    await useEmulatorProfile(emulator, 'nostop', 'nostop');
    try {
      const stopError = await shownError(
        api,
        'sagemakerSsh.stopTrainingJob',
        await jobNode(api, 'done-job'),
        {
          confirmed: true,
        },
      );
      assert.strictEqual(stopError.code, 'AccessDenied');
      assert.match(stopError.message, /sagemaker:StopTrainingJob/);
      await useEmulatorProfile(emulator, 'nologs', 'nologs');
      const logsError = await shownError(api, 'sagemakerSsh.showJobLogs', await jobNode(api, 'done-job'), {
        node: 'all',
      });
      assert.strictEqual(logsError.code, 'AccessDenied');
      assert.match(logsError.message, /logs:FilterLogEvents/);
      assert.match(logsError.message, /log-group:\/aws\/sagemaker\/TrainingJobs/);
    } finally {
      await useEmulatorProfile(emulator, 'me');
    }
  });

  it('refuses items that are not training jobs', async () => {
    const error = await shownError(api, 'sagemakerSsh.showJobLogs', { label: 'not a job' });
    assert.strictEqual(error.code, 'NotATrainingJob');
    const gone = await shownError(api, 'sagemakerSsh.stopTrainingJob');
    assert.strictEqual(gone.code, 'TreeItemGone');
  });
});
