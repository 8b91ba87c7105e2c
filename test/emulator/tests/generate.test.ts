import * as assert from 'node:assert/strict';
import { SearchCommand } from '@aws-sdk/client-sagemaker';
import { DescribeInstanceInformationCommand, paginateDescribeInstanceInformation } from '@aws-sdk/client-ssm';
import { generateScenario, startEmulator, validateScenario, type Emulator, type ScenarioDocument } from '..';
import { clientsFor } from '../../support/emulator';

describe('emulator: generated scale scenarios', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = JSON.stringify(generateScenario({ jobs: 300, instances: 80, seed: 11 }));
    const b = JSON.stringify(generateScenario({ jobs: 300, instances: 80, seed: 11 }));
    const c = JSON.stringify(generateScenario({ jobs: 300, instances: 80, seed: 12 }));
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it('produces valid scenarios with realistic SSH instances', () => {
    const document = generateScenario({ jobs: 500, instances: 150, apps: 12, seed: 3 });
    const scenario = validateScenario(document, new Date());
    const jobs = scenario.sagemaker!.trainingJobs!;
    const instances = scenario.ssm!.instances!;
    assert.equal(jobs.length, 500);
    assert.equal(instances.length, 150);
    const statuses = new Set(jobs.map((job) => job.status));
    for (const status of ['InProgress', 'Completed', 'Failed', 'Stopped'])
      assert.ok(statuses.has(status as never), status);
    const ages = jobs.map((job) => Date.now() - job.creationTime!.getTime());
    assert.ok(
      Math.max(...ages) > 60 * 86_400_000 && Math.max(...ages) <= 90 * 86_400_000 + 3_600_000,
      'spread over 90 days',
    );
    const ssh = instances.filter((instance) => instance.tags?.SSHResourceArn);
    for (const key of [
      'SSHOwner',
      'SSHCreator',
      'SSHTimestamp',
      'SSHResourceName',
      'SSHResourceArn',
      'SSHHost',
    ]) {
      assert.ok(
        ssh.every((instance) => instance.tags![key]),
        `every SSH instance has ${key}`,
      );
    }
    assert.ok(
      ssh.some((instance) => instance.pingStatus === 'Online') &&
        ssh.some((instance) => instance.pingStatus === 'ConnectionLost'),
    );
    assert.ok(
      new Set(ssh.map((instance) => instance.tags!.SSHOwner)).size >= 2,
      'some instances belong to other users',
    );
    assert.ok(
      ssh.some((instance) => instance.tags!.SSHResourceArn!.includes(':app/')),
      'some are Studio apps',
    );
    assert.ok(
      ssh.some((instance) => instance.tags!.SSHHost === 'algo-2'),
      'multi-node jobs register algo-2',
    );
    const perResourceHost = new Map<string, number>();
    for (const instance of ssh) {
      const key = `${instance.tags!.SSHResourceArn}/${instance.tags!.SSHHost}`;
      perResourceHost.set(key, (perResourceHost.get(key) ?? 0) + 1);
    }
    assert.ok(
      [...perResourceHost.values()].some((count) => count > 1),
      'stale duplicate registrations exist',
    );
    const jobArns = new Set(
      jobs.map((job) => `arn:aws:sagemaker:us-east-1:123456789012:training-job/${job.name.toLowerCase()}`),
    );
    const online = ssh.filter(
      (instance) =>
        instance.pingStatus === 'Online' && instance.tags!.SSHResourceArn!.includes(':training-job/'),
    );
    assert.ok(
      online.every((instance) => jobArns.has(instance.tags!.SSHResourceArn!)),
      'online instances point at generated jobs',
    );
    const running = new Set(
      jobs
        .filter((job) => job.status === 'InProgress' || job.status === 'Stopping')
        .map((job) => job.name.toLowerCase()),
    );
    assert.ok(
      online.every((instance) => running.has(instance.tags!.SSHResourceName!.toLowerCase())),
      'only running jobs have Online instances',
    );
  });

  describe('at 10,000 jobs and 2,000 instances', () => {
    let emulator: Emulator;
    let document: ScenarioDocument;
    before(async function () {
      // Generating and loading 12,000 resources is CPU-bound: a loaded machine needs more than the default.
      this.timeout(120_000);
      document = generateScenario({ jobs: 10_000, instances: 2_000, seed: 42 });
      emulator = await startEmulator({ scenario: document });
    });
    after(async () => {
      await emulator?.close();
    });

    it('loads every job and instance', () => {
      const summary = emulator.state.summary();
      assert.equal(
        Object.values(summary.trainingJobs).reduce((sum, count) => sum + count, 0),
        10_000,
      );
      assert.equal(
        Object.values(summary.managedInstances).reduce((sum, count) => sum + count, 0),
        2_000,
      );
    });

    it('answers status-filtered lists, searches and tag-filtered instance lists consistently', async () => {
      const { sagemaker, ssm } = clientsFor(emulator);
      const expectedInProgress = document.sagemaker!.trainingJobs!.filter(
        (job) => job.status === 'InProgress',
      ).length;
      const search = await sagemaker.send(
        new SearchCommand({
          Resource: 'TrainingJob',
          MaxResults: 100,
          SearchExpression: { Filters: [{ Name: 'TrainingJobStatus', Value: 'InProgress' }] },
        }),
      );
      assert.equal(search.TotalHits!.Value, expectedInProgress);
      let listed = 0;
      let token: string | undefined;
      do {
        const page = await sagemaker.send(
          new SearchCommand({
            Resource: 'TrainingJob',
            MaxResults: 100,
            NextToken: token,
            SearchExpression: { Filters: [{ Name: 'TrainingJobStatus', Value: 'InProgress' }] },
          }),
        );
        listed += page.Results!.length;
        token = page.NextToken;
      } while (token);
      assert.equal(listed, expectedInProgress);
      const owner = 'AIDAEMULATORDEVELOPER0';
      const expectedOwned = document.ssm!.instances!.filter(
        (instance) => instance.tags?.SSHOwner === owner,
      ).length;
      let owned = 0;
      for await (const page of paginateDescribeInstanceInformation(
        { client: ssm, pageSize: 50 },
        { Filters: [{ Key: 'tag:SSHOwner', Values: [owner] }] },
      )) {
        owned += page.InstanceInformationList!.length;
      }
      assert.equal(owned, expectedOwned);
      const online = await ssm.send(
        new DescribeInstanceInformationCommand({
          MaxResults: 50,
          Filters: [
            { Key: 'tag:SSHOwner', Values: [owner] },
            { Key: 'PingStatus', Values: ['Online'] },
          ],
        }),
      );
      assert.ok(online.InstanceInformationList!.every((instance) => instance.PingStatus === 'Online'));
    });
  });
});
