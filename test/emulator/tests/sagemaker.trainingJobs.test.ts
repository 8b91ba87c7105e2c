import * as assert from 'node:assert/strict';
import { DescribeTrainingJobCommand, StopTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { DescribeInstanceInformationCommand } from '@aws-sdk/client-ssm';
import { startEmulator, type ScenarioDocument } from '..';
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

describe('emulator: SageMaker training jobs', () => {
  const emulator = useEmulator(scenario);
  const sagemaker = () => clientsFor(emulator()).sagemaker;

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
