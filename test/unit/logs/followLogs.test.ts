import * as assert from 'node:assert/strict';
import { formatLogLine } from '../../../src/logs/formatLogLine';
import type { TrainingLogEvent } from '../../../src/logs/formatLogLine';
import { followLogs, LogCursor } from '../../../src/logs/followLogs';
import type {
  FilterEventsPage,
  FilterEventsRequest,
  FollowEnd,
  FollowLogsOptions,
  LogEventsSource,
} from '../../../src/logs/followLogs';
import { nodeOfStream, sortNodes, streamPrefixOf } from '../../../src/logs/trainingLogStreams';
import { CancellationSource } from '../../../src/util/sleep';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { showTrainingJobLogs } from '../../../src/logs/trainingJobLogs';
import { ScenarioBuilder, me } from '../../builders/scenarioBuilder';
import { holdOperation } from '../../support/heldOperation';
import { clientsFor, useEmulator } from '../../support/emulator';

function event(id: number, timestamp: number, node = 'algo-1'): TrainingLogEvent {
  return { logStreamName: `job/${node}-1700000000`, timestamp, message: `m${id}`, eventId: String(id) };
}

/** A fake FilterLogEvents over a growing list: honours startTime (inclusive) and pages by `pageSize`. */
class FakeSource implements LogEventsSource {
  readonly events: TrainingLogEvent[] = [];
  readonly requests: FilterEventsRequest[] = [];
  constructor(private readonly pageSize = 2) {}

  filterEvents(request: FilterEventsRequest): Promise<FilterEventsPage> {
    this.requests.push(request);
    const matching = this.events.filter(
      (e) =>
        e.logStreamName.startsWith(request.logStreamNamePrefix) && e.timestamp >= (request.startTime ?? 0),
    );
    const start = request.nextToken ? Number(request.nextToken) : 0;
    const end = start + this.pageSize;
    return Promise.resolve({
      events: matching.slice(start, end),
      nextToken: end < matching.length ? String(end) : undefined,
    });
  }
}

/** Follows job `job` on `source`, collecting the messages printed; `options` adds the rest. */
async function followJob(
  source: LogEventsSource,
  options: Pick<FollowLogsOptions, 'jobEnded'> & Partial<FollowLogsOptions>,
): Promise<{ end: FollowEnd; printed: string[] }> {
  const printed: string[] = [];
  const end = await followLogs({
    source,
    jobName: 'job',
    follow: true,
    onEvent: (e) => printed.push(e.message),
    ...options,
  });
  return { end, printed };
}

describe('logs: follow loop', () => {
  it('prints every page once, deduping the events FilterLogEvents repeats at the inclusive startTime', async () => {
    const source = new FakeSource();
    source.events.push(event(1, 10), event(2, 20), event(3, 20));
    let polls = 0;
    const { end, printed } = await followJob(source, {
      jobEnded: () => Promise.resolve(polls >= 2),
      sleep: () => {
        polls++;
        if (polls === 1) source.events.push(event(4, 20), event(5, 30));
        return Promise.resolve();
      },
    });
    assert.equal(end, 'jobEnded');
    assert.deepEqual(printed, ['m1', 'm2', 'm3', 'm4', 'm5']);
    assert.equal(source.requests[0]!.startTime, undefined);
    // Later polls start at the look-back window (floored at 0 for these tiny timestamps).
    assert.ok(source.requests.length > 2, 'there were later polls to check');
    assert.ok(source.requests.slice(2).every((r) => r.startTime === 0));
  });

  it('backs off while idle (doubling up to the maximum) and polls fast again after new lines', async () => {
    const source = new FakeSource();
    const delays: number[] = [];
    await followJob(source, {
      minDelayMs: 100,
      maxDelayMs: 500,
      jobEnded: () => Promise.resolve(delays.length >= 6),
      sleep: (ms) => {
        delays.push(ms);
        if (delays.length === 4) source.events.push(event(1, 5));
        return Promise.resolve();
      },
    });
    assert.deepEqual(delays.slice(0, 6), [200, 400, 500, 500, 100, 200]);
  });

  it('after the job ended, one more poll still delivers late lines before it stops', async () => {
    const source = new FakeSource();
    let slept = 0;
    const { end, printed } = await followJob(source, {
      jobEnded: () => Promise.resolve(true),
      sleep: () => {
        if (slept++ === 0) source.events.push(event(9, 1));
        return Promise.resolve();
      },
    });
    assert.equal(end, 'jobEnded');
    assert.deepEqual(printed, ['m9']);
  });

  it('without follow reads what is there once; one node only via its stream prefix', async () => {
    const source = new FakeSource();
    source.events.push(event(1, 1, 'algo-1'), event(2, 2, 'algo-2'), event(3, 3, 'algo-10'));
    const { end, printed } = await followJob(source, {
      node: 'algo-1',
      follow: false,
      jobEnded: () => assert.fail('not asked without follow'),
    });
    assert.equal(end, 'drained');
    assert.deepEqual(printed, ['m1']);
  });

  it('stops when cancelled while waiting', async () => {
    const cancel = new CancellationSource();
    const { end } = await followJob(new FakeSource(), {
      signal: cancel,
      jobEnded: () => Promise.resolve(false),
      sleep: () => {
        cancel.cancel();
        return Promise.resolve();
      },
    });
    assert.equal(end, 'cancelled');
  });

  it('a line of another node ingested late (stamped before the newest line) still prints, once', async () => {
    const source = new FakeSource(10);
    source.events.push(event(1, 50_000, 'algo-1'));
    let polls = 0;
    const { printed } = await followJob(source, {
      jobEnded: () => Promise.resolve(polls >= 3),
      sleep: () => {
        polls++;
        if (polls === 1) source.events.push(event(2, 45_000, 'algo-2'));
        if (polls === 2) source.events.push(event(3, 30_000, 'algo-2'));
        return Promise.resolve();
      },
    });
    // 45 s is inside the 10 s look-back from 50 s; 30 s is outside it (documented loss).
    assert.deepEqual(printed, ['m1', 'm2']);
  });

  it('LogCursor keeps the ids inside the look-back window and forgets older ones on commit', () => {
    const cursor = new LogCursor(5);
    assert.equal(cursor.admit(event(1, 10)), true);
    assert.equal(cursor.admit(event(1, 10)), false);
    assert.equal(cursor.admit(event(2, 20)), true);
    assert.equal(cursor.admit(event(3, 2)), true, 'within one read nothing is dropped by time');
    cursor.commit();
    assert.equal(cursor.start, 15);
    assert.equal(cursor.admit(event(2, 20)), false);
    assert.equal(cursor.admit(event(4, 14)), false, 'before the window: cannot tell, so not printed');
    assert.equal(cursor.admit(event(5, 16)), true);
  });
});

describe('logs: stream names and lines', () => {
  it('maps SageMaker stream names to nodes and back to prefixes', () => {
    assert.equal(nodeOfStream('my-job', 'my-job/algo-2-1733450000'), 'algo-2');
    assert.equal(nodeOfStream('my-job', 'my-job-2/algo-1-1733450000'), undefined);
    assert.equal(nodeOfStream('my-job', 'my-job/other'), undefined);
    assert.equal(streamPrefixOf('my-job', 'algo-1'), 'my-job/algo-1-');
    assert.equal(streamPrefixOf('my-job'), 'my-job/');
    assert.deepEqual(sortNodes(['algo-10', 'algo-2', 'algo-1', 'algo-2']), ['algo-1', 'algo-2', 'algo-10']);
  });

  it('formats a line with UTC time, node and message', () => {
    const line = formatLogLine('job', {
      logStreamName: 'job/algo-3-1700000000',
      timestamp: Date.UTC(2026, 11, 6, 2, 16, 44, 123),
      message: 'epoch 1 loss=0.5\n',
      eventId: 'x',
    });
    assert.equal(line, '2026-12-06T02:16:44.123Z algo-3 epoch 1 loss=0.5');
  });
});

describe('showTrainingJobLogs: cancelling while following (emulator, real SDK clients)', () => {
  const scenario = new ScenarioBuilder().trainingJob('followed-job');
  const emulator = useEmulator(scenario.build());

  it('aborts the FilterLogEvents in flight, while the emulator still holds its response', async () => {
    const config = {
      endpoint: emulator().endpoint,
      region: emulator().state.region,
      credentials: emulator().credentials(me.name),
      maxAttempts: 1,
    };
    const held = holdOperation(emulator(), 'logs', 'FilterLogEvents', { events: [] });
    const cancel = new CancellationSource();
    try {
      const following = showTrainingJobLogs({
        logs: new CloudWatchLogsClient(config),
        sagemaker: clientsFor(emulator(), me.name).sagemaker,
        region: config.region,
        jobName: 'followed-job',
        follow: true,
        onEvent: () => assert.fail('no events'),
        signal: cancel,
      });
      await held.arrived;
      cancel.cancel();
      assert.deepEqual(await following, { end: 'cancelled', lines: 0 });
      assert.equal(held.holding, true, 'ended before the emulator answered');
    } finally {
      held.release();
    }
  });
});
