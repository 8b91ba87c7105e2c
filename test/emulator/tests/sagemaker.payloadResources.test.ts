import * as assert from 'node:assert/strict';
import {
  DescribeEndpointCommand,
  DescribeNotebookInstanceCommand,
  DescribeProcessingJobCommand,
  DescribeTransformJobCommand,
  ListEndpointsCommand,
  ListNotebookInstancesCommand,
  ListProcessingJobsCommand,
  ListTransformJobsCommand,
  paginateListProcessingJobs,
} from '@aws-sdk/client-sagemaker';
import type { ScenarioDocument } from '..';
import { ScenarioError, validateScenario } from '../scenario/load';
import { clientsFor, expectAwsError, useEmulator } from '../../support/emulator';

const scenario: ScenarioDocument = {
  sagemaker: {
    processingJobs: [
      ...Array.from({ length: 12 }, (_, i) => ({
        name: `prep-${i + 1}`,
        status: 'Completed',
        creationTime: `-${20 - i}h`,
      })),
      { name: 'Prep-Live', creationTime: '-10m', instanceCount: 2, instanceType: 'ml.c5.2xlarge' },
    ],
    transformJobs: [
      { name: 'batch-old', status: 'Failed', creationTime: '-3d', failureReason: 'ClientError: bad input' },
      { name: 'batch-now', creationTime: '-5m' },
    ],
    endpoints: [
      { name: 'ep-live', creationTime: '-2d' },
      { name: 'ep-new', status: 'Creating', creationTime: '-1m' },
    ],
    notebookInstances: [
      { name: 'nb-stopped', status: 'Stopped', creationTime: '-30d' },
      { name: 'nb-1', creationTime: '-1d' },
    ],
  },
};

describe('emulator: processing and transform jobs, endpoints, notebook instances', () => {
  const emulator = useEmulator(scenario);
  const sagemaker = () => clientsFor(emulator()).sagemaker;

  it('pages ListProcessingJobs newest first with filters, as the SDK paginator walks it', async () => {
    const names: string[] = [];
    for await (const page of paginateListProcessingJobs(
      { client: sagemaker(), pageSize: 5 },
      { SortBy: 'CreationTime', SortOrder: 'Descending' },
    )) {
      assert.ok((page.ProcessingJobSummaries ?? []).length <= 5);
      names.push(...(page.ProcessingJobSummaries ?? []).map((s) => s.ProcessingJobName!));
    }
    assert.equal(names.length, 13);
    assert.deepEqual(names.slice(0, 3), ['Prep-Live', 'prep-12', 'prep-11']);
    const live = await sagemaker().send(new ListProcessingJobsCommand({ StatusEquals: 'InProgress' }));
    assert.deepEqual(
      live.ProcessingJobSummaries?.map((s) => [
        s.ProcessingJobName,
        s.ProcessingJobStatus,
        s.ProcessingJobArn,
      ]),
      [['Prep-Live', 'InProgress', 'arn:aws:sagemaker:us-east-1:123456789012:processing-job/prep-live']],
    );
    assert.ok(live.ProcessingJobSummaries?.[0]?.CreationTime instanceof Date);
  });

  it('describes a processing job with its cluster, and answers ResourceNotFound for an unknown one', async () => {
    const job = await sagemaker().send(new DescribeProcessingJobCommand({ ProcessingJobName: 'prep-live' }));
    assert.equal(job.ProcessingJobName, 'Prep-Live');
    assert.equal(job.ProcessingJobStatus, 'InProgress');
    assert.deepEqual(job.ProcessingResources?.ClusterConfig, {
      InstanceCount: 2,
      InstanceType: 'ml.c5.2xlarge',
      VolumeSizeInGB: 30,
    });
    await expectAwsError(
      sagemaker().send(new DescribeProcessingJobCommand({ ProcessingJobName: 'nope' })),
      'ResourceNotFound',
    );
  });

  it('lists and describes transform jobs', async () => {
    const listed = await sagemaker().send(new ListTransformJobsCommand({ NameContains: 'BATCH' }));
    assert.deepEqual(
      listed.TransformJobSummaries?.map((s) => [s.TransformJobName, s.TransformJobStatus]),
      [
        ['batch-now', 'InProgress'],
        ['batch-old', 'Failed'],
      ],
    );
    const failed = await sagemaker().send(new DescribeTransformJobCommand({ TransformJobName: 'batch-old' }));
    assert.equal(failed.FailureReason, 'ClientError: bad input');
    assert.ok(failed.TransformEndTime instanceof Date);
    assert.equal(failed.TransformResources?.InstanceCount, 1);
    await expectAwsError(
      sagemaker().send(new DescribeTransformJobCommand({ TransformJobName: 'nope' })),
      'ResourceNotFound',
    );
  });

  it('lists and describes endpoints; an unknown one is a ValidationException, as SageMaker answers', async () => {
    const listed = await sagemaker().send(
      new ListEndpointsCommand({ SortBy: 'Name', SortOrder: 'Ascending' }),
    );
    assert.deepEqual(
      listed.Endpoints?.map((e) => [e.EndpointName, e.EndpointStatus]),
      [
        ['ep-live', 'InService'],
        ['ep-new', 'Creating'],
      ],
    );
    const live = await sagemaker().send(new DescribeEndpointCommand({ EndpointName: 'ep-live' }));
    assert.equal(live.ProductionVariants?.[0]?.CurrentInstanceCount, 1);
    const error = await expectAwsError(
      sagemaker().send(new DescribeEndpointCommand({ EndpointName: 'nope' })),
      'ValidationException',
    );
    assert.match(error.message, /Could not find endpoint/);
  });

  it('lists and describes notebook instances', async () => {
    const listed = await sagemaker().send(new ListNotebookInstancesCommand({ StatusEquals: 'InService' }));
    assert.deepEqual(
      listed.NotebookInstances?.map((n) => [n.NotebookInstanceName, n.NotebookInstanceStatus, n.Url]),
      [['nb-1', 'InService', 'nb-1.notebook.us-east-1.sagemaker.aws']],
    );
    const nb = await sagemaker().send(
      new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'nb-stopped' }),
    );
    assert.equal(nb.NotebookInstanceStatus, 'Stopped');
    assert.equal(
      nb.NotebookInstanceArn,
      'arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/nb-stopped',
    );
    await expectAwsError(
      sagemaker().send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: 'nope' })),
      'ValidationException',
    );
  });

  it('rejects a bad status filter and a token from another query', async () => {
    await expectAwsError(
      sagemaker().send(new ListEndpointsCommand({ StatusEquals: 'Running' as never })),
      'ValidationException',
    );
    const first = await sagemaker().send(new ListEndpointsCommand({ MaxResults: 1 }));
    assert.ok(first.NextToken);
    await expectAwsError(
      sagemaker().send(new ListNotebookInstancesCommand({ NextToken: first.NextToken })),
      'ValidationException',
    );
  });
});

describe('emulator scenarios: payload resources', () => {
  const anchor = new Date('2026-12-01T00:00:00Z');
  function problemsOf(document: ScenarioDocument): string[] {
    try {
      validateScenario(document, anchor);
      return [];
    } catch (error) {
      assert.ok(error instanceof ScenarioError);
      return error.problems.map((p) => `${p.path}: ${p.message}`);
    }
  }

  it('rejects ssh on a resource whose containers do not run, naming the status', () => {
    const problems = problemsOf({
      sagemaker: { notebookInstances: [{ name: 'nb', status: 'Stopped', ssh: {} }] },
    });
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /notebookInstances\[0\].*only while InService; this one is Stopped/);
  });

  it('rejects names used twice in one type (case-insensitively), not across types', () => {
    const problems = problemsOf({
      sagemaker: { processingJobs: [{ name: 'p' }, { name: 'P' }], transformJobs: [{ name: 'p' }] },
    });
    assert.deepEqual(problems, ['$.sagemaker.processingJobs[1].name: duplicate name P']);
  });
});
