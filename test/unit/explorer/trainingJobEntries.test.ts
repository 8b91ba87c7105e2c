import * as assert from 'node:assert/strict';
import { listTrainingJobEntries } from '../../../src/explorer/trainingJobEntries';
import { connect, useAwsEnvironment } from '../../builders/awsEnvironment';
import { ScenarioBuilder, me, other } from '../../builders/scenarioBuilder';
import { useEmulator } from '../../support/emulator';

function scenario(): ReturnType<ScenarioBuilder['build']> {
  const b = new ScenarioBuilder();
  for (let i = 0; i < 120; i++) {
    b.trainingJob(`job-${String(i).padStart(3, '0')}`, {
      status: i % 10 === 0 ? 'InProgress' : 'Completed',
      creationTime: `-${120 - i}h`,
    });
  }
  b.trainingJob('Bert-Finetune', { status: 'InProgress', instanceCount: 2, creationTime: '-10m' });
  b.trainingRegistration('Bert-Finetune', { host: 'algo-1' });
  b.trainingRegistration('Bert-Finetune', { host: 'algo-2', pingStatus: 'ConnectionLost' });
  b.trainingRegistration('job-119', { owner: other.userId });
  b.trainingRegistration('job-110', { pingStatus: 'ConnectionLost' });
  return b.build();
}

describe('training job listing against the emulator', () => {
  const emulator = useEmulator(scenario());
  useAwsEnvironment(() => emulator().env('me'));

  it('lists newest first in pages of 50 with a next token', async () => {
    const connection = await connect();
    const first = await listTrainingJobEntries(connection, { filters: {}, pageSize: 50, pages: 1 });
    assert.equal(first.entries.length, 50);
    assert.equal(first.entries[0].job.name, 'Bert-Finetune');
    assert.equal(first.entries[1].job.name, 'job-119');
    assert.ok(first.nextToken);
    const all = await listTrainingJobEntries(connection, { filters: {}, pageSize: 50, pages: 3 });
    assert.equal(all.entries.length, 121);
    assert.equal(all.nextToken, undefined);
    assert.equal(new Set(all.entries.map((e) => e.job.name)).size, 121);
  });

  it('shows instance type × count and SSH readiness per node', async () => {
    const connection = await connect();
    const { entries } = await listTrainingJobEntries(connection, { filters: {}, pageSize: 50, pages: 1 });
    const bert = entries.find((e) => e.job.name === 'Bert-Finetune')!;
    assert.equal(bert.job.instanceType, 'ml.g5.xlarge');
    assert.equal(bert.job.instanceCount, 2);
    assert.equal(bert.readiness.label, 'SSH 1/2 online');
    assert.deepEqual(
      bert.readiness.nodes.map((n) => [n.name, n.instance.pingStatus]),
      [
        ['algo-1', 'Online'],
        ['algo-2', 'ConnectionLost'],
      ],
    );
    const theirs = entries.find((e) => e.job.name === 'job-119')!;
    assert.equal(theirs.readiness.nodes[0].ownedByCaller, false);
    assert.equal(entries.find((e) => e.job.name === 'job-110')!.readiness.label, 'SSH offline');
    assert.equal(entries.find((e) => e.job.name === 'job-118')!.readiness.label, 'no SSH');
  });

  it('makes at most 3 AWS calls per refresh, however many jobs a page holds', async () => {
    const connection = await connect();
    await connection.identity();
    emulator().calls.clear();
    await listTrainingJobEntries(connection, { filters: {}, pageSize: 50, pages: 1 });
    const calls = emulator()
      .calls.all()
      .map((c) => c.operation);
    assert.deepEqual(calls.sort(), ['DescribeActivations', 'DescribeInstanceInformation', 'Search']);
  });

  it('filters by status, name and creation time on the server', async () => {
    const connection = await connect();
    const inProgress = await listTrainingJobEntries(connection, {
      filters: { status: 'InProgress' },
      pageSize: 50,
      pages: 1,
    });
    assert.ok(
      inProgress.entries.length > 0 && inProgress.entries.every((e) => e.job.status === 'InProgress'),
    );
    const named = await listTrainingJobEntries(connection, {
      filters: { nameContains: 'bert' },
      pageSize: 50,
      pages: 1,
    });
    assert.deepEqual(
      named.entries.map((e) => e.job.name),
      ['Bert-Finetune'],
    );
    const recent = await listTrainingJobEntries(connection, {
      filters: { createdWithinDays: 1 },
      pageSize: 50,
      pages: 3,
    });
    assert.ok(recent.entries.length > 0 && recent.entries.length < 30, `got ${recent.entries.length}`);
  });

  it('"only mine" and "only SSH-ready" restrict the list to registrations', async () => {
    const connection = await connect();
    const mine = await listTrainingJobEntries(connection, {
      filters: { onlyMine: true },
      pageSize: 50,
      pages: 1,
    });
    assert.deepEqual(mine.entries.map((e) => e.job.name).sort(), ['Bert-Finetune', 'job-110']);
    const ready = await listTrainingJobEntries(connection, {
      filters: { onlySshReady: true },
      pageSize: 50,
      pages: 1,
    });
    assert.deepEqual(ready.entries.map((e) => e.job.name).sort(), ['Bert-Finetune', 'job-119']);
    assert.equal(me.userId, mine.callerUserId);
  });
});
