import * as assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  type FilterLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import type { ScenarioDocument } from '..';
import { trainingStreamName } from '../services/logs';
import { expectAwsError, rawRequest, useEmulator } from '../../support/emulator';

const GROUP = '/aws/sagemaker/TrainingJobs';

const scenario: ScenarioDocument = {
  identities: [
    {
      name: 'dev',
      accessKeyId: 'AKIADEV0000000000001',
      secretAccessKey: 'dev-secret',
      arn: 'arn:aws:iam::123456789012:user/dev',
      userId: 'AIDADEV0001',
    },
    {
      name: 'no-logs',
      accessKeyId: 'AKIANOLOGS0000000001',
      secretAccessKey: 'no-logs-secret',
      arn: 'arn:aws:iam::123456789012:user/no-logs',
      userId: 'AIDANOLOGS',
      deny: ['logs:FilterLogEvents'],
    },
  ],
  sagemaker: {
    trainingJobs: [
      { name: 'two-nodes', status: 'InProgress', creationTime: '-1h', instanceCount: 2 },
      { name: 'done-job', status: 'Completed', creationTime: '-2d', trainingEndTime: '-1d' },
    ],
  },
};

describe('emulator: CloudWatch Logs', () => {
  const emulator = useEmulator(scenario);
  const logs = (identity?: string): CloudWatchLogsClient =>
    new CloudWatchLogsClient({
      endpoint: emulator().endpoint,
      region: emulator().state.region,
      credentials: emulator().credentials(identity),
      maxAttempts: 1,
    });

  it('seeds one stream per node of each job from the scenario timeline, named <job>/algo-<n>-<epoch>', async () => {
    const out = await logs().send(
      new DescribeLogStreamsCommand({ logGroupName: GROUP, logStreamNamePrefix: 'two-nodes/' }),
    );
    const names = (out.logStreams ?? []).map((s) => s.logStreamName!);
    assert.equal(names.length, 2);
    assert.match(names[0]!, /^two-nodes\/algo-1-\d+$/);
    assert.match(names[1]!, /^two-nodes\/algo-2-\d+$/);
    const events = await logs().send(
      new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: [names[0]!] }),
    );
    assert.ok(events.events?.some((e) => e.message?.includes('[Training]')));
  });

  it('pages FilterLogEvents in timestamp order and sees events appended between pages', async () => {
    const job = emulator().state.trainingJobs.get('done-job')!;
    const stream = trainingStreamName(job, 1);
    const base = Date.now() - 10_000;
    emulator().logs.append(
      GROUP,
      stream,
      Array.from({ length: 5 }, (_, i) => ({ timestamp: base + i, message: `line ${i}` })),
    );
    const seen: string[] = [];
    let nextToken: string | undefined;
    let page: FilterLogEventsCommandOutput;
    let appended = false;
    do {
      page = await logs().send(
        new FilterLogEventsCommand({
          logGroupName: GROUP,
          logStreamNamePrefix: 'done-job/',
          startTime: base,
          limit: 2,
          nextToken,
        }),
      );
      seen.push(...(page.events ?? []).map((e) => e.message!));
      if (!appended) {
        emulator().logs.append(GROUP, stream, [{ timestamp: base + 100, message: 'late line' }]);
        appended = true;
      }
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(seen, ['line 0', 'line 1', 'line 2', 'line 3', 'line 4', 'late line']);
  });

  it('answers real error codes: unknown group, conflicting parameters, bad token, denied action', async () => {
    await expectAwsError(
      logs().send(new FilterLogEventsCommand({ logGroupName: '/aws/nope' })),
      'ResourceNotFoundException',
    );
    await expectAwsError(
      logs().send(
        new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: ['a'], logStreamNamePrefix: 'a' }),
      ),
      'InvalidParameterException',
    );
    await expectAwsError(
      logs().send(new FilterLogEventsCommand({ logGroupName: GROUP, nextToken: 'forged' })),
      'InvalidParameterException',
    );
    await expectAwsError(
      logs().send(
        new DescribeLogStreamsCommand({
          logGroupName: GROUP,
          orderBy: 'LastEventTime',
          logStreamNamePrefix: 'x',
        }),
      ),
      'InvalidParameterException',
    );
    const denied = await expectAwsError(
      logs('no-logs').send(new FilterLogEventsCommand({ logGroupName: GROUP })),
      'AccessDeniedException',
    );
    assert.match(
      denied.message,
      /logs:FilterLogEvents on resource: arn:aws:logs:us-east-1:123456789012:log-group:\/aws\/sagemaker\/TrainingJobs:\*/,
    );
    await logs('no-logs').send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));
  });

  it('turns appended container output into one event per complete line', () => {
    const store = emulator().logs;
    store.appendText(GROUP, 'text/algo-1-1', 'first\nsecond\r\npart');
    store.appendText(GROUP, 'text/algo-1-1', 'ial\n');
    const messages = store
      .group(GROUP)!
      .streams.get('text/algo-1-1')!
      .events.map((e) => e.message);
    assert.deepEqual(messages, ['first', 'second', 'partial']);
  });

  it('the admin API appends events to a job’s node stream, and refuses what it cannot place', async () => {
    const post = (body: unknown) =>
      rawRequest(emulator(), {
        path: '/_emulator/logs/events',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post({ trainingJob: 'two-nodes', node: 2, text: 'from the admin API\n' });
    assert.equal(ok.status, 200, ok.body);
    const { logStreamName, appended } = JSON.parse(ok.body) as { logStreamName: string; appended: number };
    assert.equal(appended, 1);
    assert.match(logStreamName, /^two-nodes\/algo-2-\d+$/);
    const events = await logs().send(
      new FilterLogEventsCommand({
        logGroupName: GROUP,
        logStreamNames: [logStreamName],
        filterPattern: 'admin',
      }),
    );
    assert.deepEqual(
      events.events?.map((e) => e.message),
      ['from the admin API'],
    );
    assert.equal((await post({ trainingJob: 'nope', events: [] })).status, 400);
    assert.equal((await post({ events: [{ message: 'x' }] })).status, 400);
  });
});
