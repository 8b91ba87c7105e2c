import * as assert from 'node:assert/strict';
import {
  DescribeTrainingJobCommand,
  ListTrainingJobsCommand,
  paginateListTrainingJobs,
  StopTrainingJobCommand,
  type TrainingJobSummary,
} from '@aws-sdk/client-sagemaker';
import { DescribeInstanceInformationCommand } from '@aws-sdk/client-ssm';
import { startEmulator, type ScenarioDocument } from '../../emulator';
import { clientsFor, expectAwsError, useEmulator } from '../../support/emulator';

const ARN_PREFIX = 'arn:aws:sagemaker:us-east-1:123456789012:training-job/';

const scenario: ScenarioDocument = {
  sagemaker: {
    trainingJobs: [
      {
        name: 'Alpha-Train',
        status: 'InProgress',
        creationTime: '-5h',
        instanceType: 'ml.g5.2xlarge',
        instanceCount: 2,
        environment: { START_SSH: 'true' },
        hyperParameters: { epochs: '3' },
      },
      {
        name: 'bravo-eval',
        status: 'Completed',
        creationTime: '-2d',
        trainingEndTime: '-1d',
        warmPoolStatus: 'Available',
      },
      {
        name: 'charlie-fail',
        status: 'Failed',
        creationTime: '-3d',
        trainingEndTime: '-70h',
        failureReason: 'AlgorithmError: boom',
      },
      { name: 'delta-stopped', status: 'Stopped', creationTime: '-4d', trainingEndTime: '-95h' },
      {
        name: 'echo-train',
        status: 'InProgress',
        creationTime: '-1h',
        trainingPlanArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-plan/p1',
      },
      { name: 'foxtrot-stopping', status: 'Stopping', creationTime: '-30m' },
      { name: 'golf-old', status: 'Completed', creationTime: '-80d', trainingEndTime: '-79d' },
    ],
  },
};

function names(summaries: readonly TrainingJobSummary[] | undefined): string[] {
  return (summaries ?? []).map((summary) => summary.TrainingJobName!);
}

describe('emulator: SageMaker training jobs', () => {
  const emulator = useEmulator(scenario);
  const sagemaker = () => clientsFor(emulator()).sagemaker;
  const hoursAgo = (hours: number) => new Date(emulator().state.clock.start.getTime() - hours * 3_600_000);

  describe('ListTrainingJobs', () => {
    it('defaults to CreationTime ascending and 10 results, with summary shapes', async () => {
      const result = await sagemaker().send(new ListTrainingJobsCommand({}));
      assert.deepEqual(names(result.TrainingJobSummaries), [
        'golf-old',
        'delta-stopped',
        'charlie-fail',
        'bravo-eval',
        'Alpha-Train',
        'echo-train',
        'foxtrot-stopping',
      ]);
      assert.equal(result.NextToken, undefined);
      const alpha = result.TrainingJobSummaries!.find((job) => job.TrainingJobName === 'Alpha-Train')!;
      assert.equal(alpha.TrainingJobArn, ARN_PREFIX + 'alpha-train');
      assert.equal(alpha.TrainingJobStatus, 'InProgress');
      assert.equal(alpha.SecondaryStatus, 'Training');
      assert.ok(alpha.CreationTime instanceof Date);
      assert.equal(alpha.TrainingEndTime, undefined);
      const bravo = result.TrainingJobSummaries!.find((job) => job.TrainingJobName === 'bravo-eval')!;
      assert.deepEqual(bravo.WarmPoolStatus, { Status: 'Available' });
      assert.ok(bravo.TrainingEndTime instanceof Date);
      assert.ok(result.$metadata.requestId);
    });

    it('filters by status, name (case-insensitive), warm pool and training plan', async () => {
      const client = sagemaker();
      const inProgress = await client.send(new ListTrainingJobsCommand({ StatusEquals: 'InProgress' }));
      assert.deepEqual(names(inProgress.TrainingJobSummaries), ['Alpha-Train', 'echo-train']);
      const named = await client.send(new ListTrainingJobsCommand({ NameContains: 'ALPHA' }));
      assert.deepEqual(names(named.TrainingJobSummaries), ['Alpha-Train']);
      const warm = await client.send(new ListTrainingJobsCommand({ WarmPoolStatusEquals: 'Available' }));
      assert.deepEqual(names(warm.TrainingJobSummaries), ['bravo-eval']);
      const plan = await client.send(
        new ListTrainingJobsCommand({
          TrainingPlanArnEquals: 'arn:aws:sagemaker:us-east-1:123456789012:training-plan/p1',
        }),
      );
      assert.deepEqual(names(plan.TrainingJobSummaries), ['echo-train']);
    });

    it('filters by creation and last-modified time windows (exclusive bounds)', async () => {
      const client = sagemaker();
      const recent = await client.send(new ListTrainingJobsCommand({ CreationTimeAfter: hoursAgo(6) }));
      assert.deepEqual(names(recent.TrainingJobSummaries), ['Alpha-Train', 'echo-train', 'foxtrot-stopping']);
      const window = await client.send(
        new ListTrainingJobsCommand({
          CreationTimeAfter: hoursAgo(24 * 5),
          CreationTimeBefore: hoursAgo(24),
        }),
      );
      assert.deepEqual(names(window.TrainingJobSummaries), ['delta-stopped', 'charlie-fail', 'bravo-eval']);
      const exact = await client.send(new ListTrainingJobsCommand({ CreationTimeAfter: hoursAgo(5) }));
      assert.ok(!names(exact.TrainingJobSummaries).includes('Alpha-Train'), 'CreationTimeAfter is exclusive');
      const modified = await client.send(
        new ListTrainingJobsCommand({ LastModifiedTimeBefore: hoursAgo(24 * 30) }),
      );
      assert.deepEqual(names(modified.TrainingJobSummaries), ['golf-old']);
      const modifiedAfter = await client.send(
        new ListTrainingJobsCommand({ LastModifiedTimeAfter: hoursAgo(2) }),
      );
      assert.deepEqual(names(modifiedAfter.TrainingJobSummaries).sort(), ['echo-train', 'foxtrot-stopping']);
    });

    it('sorts by Name, Status and CreationTime in both orders', async () => {
      const client = sagemaker();
      const byName = await client.send(
        new ListTrainingJobsCommand({ SortBy: 'Name', SortOrder: 'Ascending' }),
      );
      assert.deepEqual(names(byName.TrainingJobSummaries), [
        'Alpha-Train',
        'bravo-eval',
        'charlie-fail',
        'delta-stopped',
        'echo-train',
        'foxtrot-stopping',
        'golf-old',
      ]);
      const byNameDesc = await client.send(
        new ListTrainingJobsCommand({ SortBy: 'Name', SortOrder: 'Descending' }),
      );
      assert.deepEqual(names(byNameDesc.TrainingJobSummaries), names(byName.TrainingJobSummaries).reverse());
      const byStatus = await client.send(new ListTrainingJobsCommand({ SortBy: 'Status' }));
      const statuses = byStatus.TrainingJobSummaries!.map((job) => job.TrainingJobStatus!);
      assert.deepEqual(statuses, [...statuses].sort());
      const newest = await client.send(
        new ListTrainingJobsCommand({ SortOrder: 'Descending', MaxResults: 1 }),
      );
      assert.deepEqual(names(newest.TrainingJobSummaries), ['foxtrot-stopping']);
    });

    it('pages with MaxResults; tokens are stable and the SDK paginator walks every page', async () => {
      const client = sagemaker();
      const first = await client.send(new ListTrainingJobsCommand({ MaxResults: 3 }));
      const again = await client.send(new ListTrainingJobsCommand({ MaxResults: 3 }));
      assert.equal(first.TrainingJobSummaries!.length, 3);
      assert.ok(first.NextToken);
      assert.equal(again.NextToken, first.NextToken);
      const seen: string[] = [];
      let pages = 0;
      for await (const page of paginateListTrainingJobs({ client, pageSize: 2 }, {})) {
        pages++;
        seen.push(...names(page.TrainingJobSummaries));
      }
      assert.equal(pages, 4);
      assert.equal(seen.length, 7);
      assert.equal(new Set(seen).size, 7);
    });

    it('rejects invalid and foreign NextTokens with ValidationException', async () => {
      const client = sagemaker();
      await expectAwsError(
        client.send(new ListTrainingJobsCommand({ NextToken: 'not-a-token' })),
        'ValidationException',
        400,
      );
      const page = await client.send(
        new ListTrainingJobsCommand({ MaxResults: 1, StatusEquals: 'InProgress' }),
      );
      await expectAwsError(
        client.send(
          new ListTrainingJobsCommand({
            MaxResults: 1,
            StatusEquals: 'Completed',
            NextToken: page.NextToken,
          }),
        ),
        'ValidationException',
      );
      const tampered = page.NextToken!.slice(0, -2) + (page.NextToken!.endsWith('AA') ? 'BB' : 'AA');
      await expectAwsError(
        client.send(new ListTrainingJobsCommand({ MaxResults: 1, NextToken: tampered })),
        'ValidationException',
      );
    });

    it('validates MaxResults, NameContains and enums in AWS wording', async () => {
      const client = sagemaker();
      const tooMany = await expectAwsError(
        client.send(new ListTrainingJobsCommand({ MaxResults: 101 })),
        'ValidationException',
        400,
      );
      assert.equal(
        tooMany.message,
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
      );
      const zero = await expectAwsError(
        client.send(new ListTrainingJobsCommand({ MaxResults: 0 })),
        'ValidationException',
      );
      assert.match(zero.message, /greater than or equal to 1/);
      const two = await expectAwsError(
        client.send(new ListTrainingJobsCommand({ MaxResults: 0, NameContains: 'bad name!' })),
        'ValidationException',
      );
      assert.match(two.message, /^2 validation errors detected: /);
      assert.match(two.message, /'maxResults'/);
      assert.match(two.message, /'nameContains'/);
      const status = await expectAwsError(
        client.send(new ListTrainingJobsCommand({ StatusEquals: 'Running' as never })),
        'ValidationException',
      );
      assert.match(status.message, /Member must satisfy enum value set: \[InProgress, Completed/);
    });
  });

  describe('DescribeTrainingJob', () => {
    it('returns the full shape', async () => {
      const job = await sagemaker().send(new DescribeTrainingJobCommand({ TrainingJobName: 'Alpha-Train' }));
      assert.equal(job.TrainingJobName, 'Alpha-Train');
      assert.equal(job.TrainingJobArn, ARN_PREFIX + 'alpha-train');
      assert.equal(job.TrainingJobStatus, 'InProgress');
      assert.equal(job.SecondaryStatus, 'Training');
      assert.deepEqual(job.ResourceConfig, {
        InstanceType: 'ml.g5.2xlarge',
        InstanceCount: 2,
        VolumeSizeInGB: 30,
      });
      assert.deepEqual(job.Environment, { START_SSH: 'true' });
      assert.deepEqual(job.HyperParameters, { epochs: '3' });
      assert.match(job.RoleArn!, /^arn:aws:iam::123456789012:role\//);
      assert.equal(job.AlgorithmSpecification?.TrainingInputMode, 'File');
      assert.ok(job.AlgorithmSpecification?.TrainingImage);
      assert.ok(job.StoppingCondition?.MaxRuntimeInSeconds);
      assert.ok(job.CreationTime && job.TrainingStartTime && job.LastModifiedTime);
      assert.equal(job.TrainingEndTime, undefined);
      const transitions = job.SecondaryStatusTransitions!.map((transition) => transition.Status);
      assert.deepEqual(transitions, ['Starting', 'Downloading', 'Training']);
      assert.equal(job.SecondaryStatusTransitions!.at(-1)!.EndTime, undefined, 'the current phase is open');
    });

    it('describes failed and completed jobs with their end state', async () => {
      const failed = await sagemaker().send(
        new DescribeTrainingJobCommand({ TrainingJobName: 'charlie-fail' }),
      );
      assert.equal(failed.FailureReason, 'AlgorithmError: boom');
      assert.equal(failed.SecondaryStatusTransitions!.at(-1)!.Status, 'Failed');
      assert.ok(failed.TrainingEndTime);
      const completed = await sagemaker().send(
        new DescribeTrainingJobCommand({ TrainingJobName: 'bravo-eval' }),
      );
      assert.match(
        completed.ModelArtifacts!.S3ModelArtifacts!,
        /^s3:\/\/sagemaker-us-east-1-123456789012\/bravo-eval\//,
      );
      assert.ok(completed.TrainingTimeInSeconds! > 0);
    });

    it('answers ValidationException "Requested resource not found." for unknown jobs, as SageMaker does', async () => {
      const error = await expectAwsError(
        sagemaker().send(new DescribeTrainingJobCommand({ TrainingJobName: 'missing-job' })),
        'ValidationException',
        400,
      );
      assert.equal(error.message, 'Requested resource not found.');
    });

    it('rejects names that break the naming rule', async () => {
      const error = await expectAwsError(
        sagemaker().send(new DescribeTrainingJobCommand({ TrainingJobName: 'bad_name' })),
        'ValidationException',
      );
      assert.match(
        error.message,
        /at 'trainingJobName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
      );
    });
  });

  describe('StopTrainingJob', () => {
    it('refuses jobs that are not InProgress, in AWS wording', async () => {
      const error = await expectAwsError(
        sagemaker().send(new StopTrainingJobCommand({ TrainingJobName: 'bravo-eval' })),
        'ValidationException',
      );
      assert.equal(
        error.message,
        'The request was rejected because the training job is in status Completed.',
      );
      await expectAwsError(
        sagemaker().send(new StopTrainingJobCommand({ TrainingJobName: 'nope' })),
        'ValidationException',
      );
    });
  });
});

describe('emulator: StopTrainingJob lifecycle', () => {
  it('moves InProgress → Stopping → Stopped after stopDelayMs and disconnects the job’s instances', async () => {
    let now = Date.now();
    const emulator = await startEmulator({
      now: () => now,
      scenario: {
        options: { stopDelayMs: 5000 },
        sagemaker: { trainingJobs: [{ name: 'stop-me', status: 'InProgress', creationTime: '-1h' }] },
        ssm: {
          instances: [
            {
              id: 'mi-00000000000000001',
              tags: { SSHResourceArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/stop-me' },
            },
          ],
        },
      },
    });
    try {
      const { sagemaker, ssm } = clientsFor(emulator);
      await sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: 'stop-me' }));
      const stopping = await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: 'stop-me' }));
      assert.equal(stopping.TrainingJobStatus, 'Stopping');
      assert.equal(stopping.SecondaryStatus, 'Stopping');
      await expectAwsError(
        sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: 'stop-me' })),
        'ValidationException',
      );
      now += 5000;
      const stopped = await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: 'stop-me' }));
      assert.equal(stopped.TrainingJobStatus, 'Stopped');
      assert.equal(stopped.SecondaryStatus, 'Stopped');
      assert.equal(stopped.TrainingEndTime!.getTime(), now);
      assert.deepEqual(stopped.SecondaryStatusTransitions!.map((transition) => transition.Status).slice(-2), [
        'Stopping',
        'Stopped',
      ]);
      const instances = await ssm.send(new DescribeInstanceInformationCommand({}));
      assert.equal(instances.InstanceInformationList![0]!.PingStatus, 'ConnectionLost');
    } finally {
      await emulator.close();
    }
  });
});
