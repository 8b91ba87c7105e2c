import * as assert from 'node:assert/strict';
import {
  paginateSearch,
  SearchCommand,
  type SearchCommandInput,
  type SearchExpression,
} from '@aws-sdk/client-sagemaker';
import type { ScenarioDocument } from '..';
import { clientsFor, expectAwsError, useEmulator } from '../../support/emulator';

const scenario: ScenarioDocument = {
  sagemaker: {
    trainingJobs: [
      {
        name: 'gpu-big',
        status: 'InProgress',
        creationTime: '-1h',
        instanceType: 'ml.p4d.24xlarge',
        instanceCount: 4,
        tags: { Team: 'nlp', 'cost.center': '42' },
        hyperParameters: { 'optimizer.lr': '0.001' },
      },
      {
        name: 'gpu-small',
        status: 'InProgress',
        creationTime: '-2h',
        instanceType: 'ml.g5.2xlarge',
        tags: { Team: 'vision' },
      },
      {
        name: 'cpu-done',
        status: 'Completed',
        creationTime: '-3h',
        trainingEndTime: '-150m',
        instanceType: 'ml.m5.xlarge',
      },
      {
        name: 'cpu-failed',
        status: 'Failed',
        creationTime: '-4h',
        trainingEndTime: '-230m',
        instanceType: 'ml.m5.xlarge',
        tags: { Team: 'nlp' },
      },
      {
        name: 'gpu-stopped',
        status: 'Stopped',
        creationTime: '-5h',
        trainingEndTime: '-270m',
        instanceType: 'ml.g5.2xlarge',
      },
    ],
  },
};

describe('emulator: SageMaker Search (Resource=TrainingJob)', () => {
  const emulator = useEmulator(scenario);
  const search = async (input: Partial<SearchCommandInput>) =>
    clientsFor(emulator()).sagemaker.send(new SearchCommand({ Resource: 'TrainingJob', ...input }));
  const names = async (expression: SearchExpression, extra: Partial<SearchCommandInput> = {}) =>
    (
      (
        await search({
          SearchExpression: expression,
          SortBy: 'TrainingJobName',
          SortOrder: 'Ascending',
          ...extra,
        })
      ).Results ?? []
    ).map((result) => result.TrainingJob!.TrainingJobName!);

  it('returns full TrainingJob records (instance type and count in one call) and TotalHits', async () => {
    const result = await search({
      SearchExpression: { Filters: [{ Name: 'TrainingJobStatus', Operator: 'Equals', Value: 'InProgress' }] },
    });
    assert.equal(result.TotalHits?.Value, 2);
    assert.equal(result.TotalHits?.Relation, 'EqualTo');
    const big = result.Results!.find(
      (record) => record.TrainingJob?.TrainingJobName === 'gpu-big',
    )!.TrainingJob!;
    assert.equal(big.ResourceConfig?.InstanceType, 'ml.p4d.24xlarge');
    assert.equal(big.ResourceConfig?.InstanceCount, 4);
    assert.equal(big.TrainingJobArn, 'arn:aws:sagemaker:us-east-1:123456789012:training-job/gpu-big');
    assert.ok(big.SecondaryStatusTransitions?.length);
    assert.deepEqual(big.Tags, [
      { Key: 'Team', Value: 'nlp' },
      { Key: 'cost.center', Value: '42' },
    ]);
  });

  it('defaults to LastModifiedTime descending', async () => {
    const result = await search({});
    const times = result.Results!.map((record) => record.TrainingJob!.LastModifiedTime!.getTime());
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
    assert.equal(result.Results!.length, 5);
  });

  it('supports Equals, NotEquals, In, Contains, Exists and NotExists', async () => {
    assert.deepEqual(
      await names({ Filters: [{ Name: 'ResourceConfig.InstanceType', Value: 'ml.m5.xlarge' }] }),
      ['cpu-done', 'cpu-failed'],
    );
    assert.deepEqual(
      await names({ Filters: [{ Name: 'TrainingJobStatus', Operator: 'NotEquals', Value: 'InProgress' }] }),
      ['cpu-done', 'cpu-failed', 'gpu-stopped'],
    );
    assert.deepEqual(
      await names({ Filters: [{ Name: 'TrainingJobStatus', Operator: 'In', Value: 'Failed, Stopped' }] }),
      ['cpu-failed', 'gpu-stopped'],
    );
    assert.deepEqual(
      await names({ Filters: [{ Name: 'TrainingJobName', Operator: 'Contains', Value: 'GPU-' }] }),
      ['gpu-big', 'gpu-small', 'gpu-stopped'],
    );
    assert.deepEqual(await names({ Filters: [{ Name: 'Tags.Team', Operator: 'Exists' }] }), [
      'cpu-failed',
      'gpu-big',
      'gpu-small',
    ]);
    assert.deepEqual(await names({ Filters: [{ Name: 'FailureReason', Operator: 'NotExists' }] }), [
      'cpu-done',
      'gpu-big',
      'gpu-small',
      'gpu-stopped',
    ]);
  });

  it('compares numbers and times with GreaterThan/LessThan operators', async () => {
    assert.deepEqual(
      await names({
        Filters: [{ Name: 'ResourceConfig.InstanceCount', Operator: 'GreaterThan', Value: '1' }],
      }),
      ['gpu-big'],
    );
    assert.deepEqual(
      await names({
        Filters: [{ Name: 'ResourceConfig.InstanceCount', Operator: 'GreaterThanOrEqualTo', Value: '1' }],
      }),
      ['cpu-done', 'cpu-failed', 'gpu-big', 'gpu-small', 'gpu-stopped'],
    );
    const cutoff = new Date(emulator().state.clock.start.getTime() - 150 * 60_000);
    assert.deepEqual(
      await names({
        Filters: [{ Name: 'CreationTime', Operator: 'GreaterThan', Value: cutoff.toISOString() }],
      }),
      ['gpu-big', 'gpu-small'],
    );
    assert.deepEqual(
      await names({
        Filters: [{ Name: 'CreationTime', Operator: 'LessThan', Value: String(cutoff.getTime() / 1000) }],
      }),
      ['cpu-done', 'cpu-failed', 'gpu-stopped'],
    );
    assert.deepEqual(
      await names({
        Filters: [{ Name: 'CreationTime', Operator: 'LessThanOrEqualTo', Value: cutoff.toISOString() }],
      }),
      ['cpu-done', 'cpu-failed', 'gpu-stopped'],
    );
  });

  it('reads tags, map keys with dots, and nested filters over lists', async () => {
    assert.deepEqual(await names({ Filters: [{ Name: 'Tags.Team', Value: 'nlp' }] }), [
      'cpu-failed',
      'gpu-big',
    ]);
    assert.deepEqual(await names({ Filters: [{ Name: 'Tags.cost.center', Value: '42' }] }), ['gpu-big']);
    assert.deepEqual(await names({ Filters: [{ Name: 'HyperParameters.optimizer.lr', Value: '0.001' }] }), [
      'gpu-big',
    ]);
    assert.deepEqual(
      await names({
        NestedFilters: [
          {
            NestedPropertyName: 'Tags',
            Filters: [
              { Name: 'Tags.Key', Value: 'Team' },
              { Name: 'Tags.Value', Value: 'vision' },
            ],
          },
        ],
      }),
      ['gpu-small'],
    );
    assert.deepEqual(
      await names({
        NestedFilters: [
          {
            NestedPropertyName: 'SecondaryStatusTransitions',
            Filters: [{ Name: 'SecondaryStatusTransitions.Status', Value: 'Failed' }],
          },
        ],
      }),
      ['cpu-failed'],
    );
  });

  it('combines filters with And/Or and SubExpressions', async () => {
    assert.deepEqual(
      await names({
        Operator: 'And',
        Filters: [
          { Name: 'ResourceConfig.InstanceType', Value: 'ml.g5.2xlarge' },
          { Name: 'TrainingJobStatus', Value: 'InProgress' },
        ],
      }),
      ['gpu-small'],
    );
    assert.deepEqual(
      await names({
        Operator: 'Or',
        Filters: [{ Name: 'TrainingJobStatus', Value: 'Failed' }],
        SubExpressions: [
          {
            Operator: 'And',
            Filters: [
              { Name: 'TrainingJobStatus', Value: 'InProgress' },
              { Name: 'ResourceConfig.InstanceCount', Operator: 'GreaterThan', Value: '2' },
            ],
          },
        ],
      }),
      ['cpu-failed', 'gpu-big'],
    );
  });

  it('sorts by any property and pages with MaxResults/NextToken', async () => {
    const ascending = await names(
      { Filters: [{ Name: 'TrainingJobName', Operator: 'Exists' }] },
      { SortBy: 'CreationTime', SortOrder: 'Ascending' },
    );
    assert.deepEqual(ascending, ['gpu-stopped', 'cpu-failed', 'cpu-done', 'gpu-small', 'gpu-big']);
    const client = clientsFor(emulator()).sagemaker;
    const collected: string[] = [];
    let pages = 0;
    for await (const page of paginateSearch(
      { client, pageSize: 2 },
      { Resource: 'TrainingJob', SortBy: 'TrainingJobName' },
    )) {
      pages++;
      collected.push(...page.Results!.map((record) => record.TrainingJob!.TrainingJobName!));
      assert.equal(page.TotalHits?.Value, 5);
    }
    assert.equal(pages, 3);
    assert.deepEqual(collected, ['gpu-stopped', 'gpu-small', 'gpu-big', 'cpu-failed', 'cpu-done']);
    await expectAwsError(search({ NextToken: 'garbage' }), 'ValidationException');
  });

  it('validates expressions like the service', async () => {
    await expectAwsError(search({ SearchExpression: {} }), 'ValidationException');
    const missingValue = await expectAwsError(
      search({ SearchExpression: { Filters: [{ Name: 'TrainingJobName', Operator: 'Equals' }] } }),
      'ValidationException',
    );
    assert.match(missingValue.message, /Value is required/);
    const twoContains = await expectAwsError(
      search({
        SearchExpression: {
          Filters: [
            { Name: 'TrainingJobName', Operator: 'Contains', Value: 'a' },
            { Name: 'FailureReason', Operator: 'Contains', Value: 'b' },
          ],
        },
      }),
      'ValidationException',
    );
    assert.match(twoContains.message, /only one Contains/);
    await expectAwsError(
      search({
        SearchExpression: {
          Filters: [{ Name: 'CreationTime', Operator: 'GreaterThan', Value: 'yesterday' }],
        },
      }),
      'ValidationException',
    );
    await expectAwsError(
      search({ SearchExpression: { Filters: [{ Name: 'X', Operator: 'Bogus' as never, Value: 'y' }] } }),
      'ValidationException',
    );
    await expectAwsError(search({ Resource: 'Nope' as never }), 'ValidationException');
    await expectAwsError(search({ MaxResults: 101 }), 'ValidationException');
    const tooMany = Array.from({ length: 21 }, () => ({ Name: 'TrainingJobName', Value: 'x' }));
    await expectAwsError(search({ SearchExpression: { Filters: tooMany } }), 'ValidationException');
  });

  it('answers other resource types with no results (the account has none)', async () => {
    const result = await search({ Resource: 'Experiment' });
    assert.deepEqual(result.Results, []);
    assert.equal(result.TotalHits?.Value, 0);
  });
});
