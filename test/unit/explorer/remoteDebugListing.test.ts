import * as assert from 'node:assert/strict';
import { listTrainingJobEntries } from '../../../src/explorer/trainingJobEntries';
import { RemoteDebugStates } from '../../../src/sagemaker/remoteDebugStates';
import { connect, useAwsEnvironment } from '../../builders/awsEnvironment';
import { ScenarioBuilder } from '../../builders/scenarioBuilder';
import { useEmulator } from '../../support/emulator';

describe('training job listing: remote debug (RemoteDebugConfig is only in DescribeTrainingJob)', () => {
  const emulator = useEmulator(
    new ScenarioBuilder()
      .trainingJob('Debug-Job', { instanceCount: 2, creationTime: '-10m', remoteDebugEnabled: true })
      .trainingJob('Plain-Job', { creationTime: '-20m' })
      .trainingJob('Xgb-Job', { creationTime: '-30m', algorithmName: 'xgboost' })
      .trainingJob('Old-Job', { status: 'Completed', creationTime: '-2h', remoteDebugEnabled: true })
      .build(),
  );
  useAwsEnvironment(() => emulator().env('me'));

  it('describes each running job once, then refreshes ask nothing more', async () => {
    const connection = await connect();
    await connection.identity();
    const states = new RemoteDebugStates();
    emulator().calls.clear();
    const first = await listTrainingJobEntries(connection, {
      filters: {},
      pageSize: 50,
      pages: 1,
      remoteDebug: states,
    });
    assert.equal(
      emulator().calls.count({ operation: 'DescribeTrainingJob' }),
      2,
      'the two running jobs, not the built-in algorithm one nor the ended one',
    );
    const debug = new Map(first.entries.map((entry) => [entry.job.name, entry.job.remoteDebug === true]));
    assert.deepEqual(Object.fromEntries(debug), {
      'Debug-Job': true,
      'Plain-Job': false,
      'Xgb-Job': false,
      'Old-Job': false,
    });
    emulator().calls.clear();
    await listTrainingJobEntries(connection, { filters: {}, pageSize: 50, pages: 1, remoteDebug: states });
    assert.equal(emulator().calls.count({ operation: 'DescribeTrainingJob' }), 0);
  });

  it('"only SSH-ready" keeps a job whose only way in is remote debug', async () => {
    const connection = await connect();
    const listing = await listTrainingJobEntries(connection, {
      filters: {},
      pageSize: 50,
      pages: 1,
      remoteDebug: new RemoteDebugStates(),
    });
    assert.ok(listing.entries.some((entry) => entry.job.name === 'Debug-Job' && entry.job.remoteDebug));
  });
});
