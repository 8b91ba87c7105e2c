import * as assert from 'node:assert/strict';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { ListAppsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DescribeInstanceInformationCommand, ThrottlingException } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startEmulator, type Emulator } from '..';
import { clientsFor, expectAwsError } from '../../support/emulator';

describe('emulator: fault injection', () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator({
      scenario: { s3: { buckets: [{ name: 'bucket', objects: [{ key: 'k', body: 'v' }] }] } },
    });
  });
  afterEach(async () => {
    await emulator.close();
  });

  const describeInstances = () => clientsFor(emulator).ssm.send(new DescribeInstanceInformationCommand({}));

  it('fails only the Nth matching call', async () => {
    emulator.faults.add({
      service: 'ssm',
      operation: 'DescribeInstanceInformation',
      nth: 2,
      error: { code: 'ThrottlingException', message: 'Rate exceeded' },
    });
    await describeInstances();
    const error = await expectAwsError(describeInstances(), 'ThrottlingException', 400);
    assert.ok(error instanceof ThrottlingException);
    assert.equal(error.message, 'Rate exceeded');
    await describeInstances();
    assert.deepEqual(
      emulator.calls.filter({ service: 'ssm' }).map((call) => [call.errorCode, call.faulted]),
      [
        [undefined, false],
        ['ThrottlingException', true],
        [undefined, false],
      ],
    );
    assert.equal(emulator.faults.list()[0]!.matched, 3);
  });

  it('fails the first N calls, then recovers; SDK retries are visible in the call log', async () => {
    emulator.faults.add({
      service: 'sagemaker',
      operation: 'ListApps',
      first: 2,
      error: { code: 'InternalFailure', status: 500 },
    });
    const retrying = clientsFor(emulator, undefined, 3).sagemaker;
    const result = await retrying.send(new ListAppsCommand({}));
    assert.equal(result.$metadata.attempts, 3);
    assert.deepEqual(
      emulator.calls.filter({ operation: 'ListApps' }).map((call) => call.status),
      [500, 500, 200],
    );
  });

  it('fails every call, in each protocol’s error shape and status', async () => {
    emulator.faults.add(
      {
        service: 's3',
        operation: 'GetObject',
        error: { code: 'SlowDown', message: 'Please reduce your request rate.' },
      },
      {
        service: 'sts',
        operation: '*',
        every: true,
        error: { code: 'Throttling', message: 'Rate exceeded', status: 400 },
      },
      { service: 'sagemaker', operation: '*', error: { code: 'InternalFailure' } },
    );
    const { s3, sts, sagemaker } = clientsFor(emulator);
    for (let attempt = 0; attempt < 2; attempt++) {
      await expectAwsError(s3.send(new GetObjectCommand({ Bucket: 'bucket', Key: 'k' })), 'SlowDown', 503);
      await expectAwsError(sts.send(new GetCallerIdentityCommand({})), 'Throttling', 400);
      const internal = await expectAwsError(sagemaker.send(new ListAppsCommand({})), 'InternalFailure', 500);
      assert.equal(internal.message, 'Injected fault: InternalFailure');
    }
  });

  it('adds per-operation and global latency (observable in the call log)', async () => {
    emulator.faults.add({ service: 'ssm', operation: 'DescribeInstanceInformation', latencyMs: 150 });
    await describeInstances();
    const slow = emulator.calls.filter({ service: 'ssm' }).at(-1)!;
    assert.ok(slow.durationMs >= 150, `took ${slow.durationMs} ms`);
    assert.equal(slow.faulted, true);
    assert.equal(slow.errorCode, undefined, 'latency alone does not fail the call');
    emulator.faults.clear();
    emulator.faults.globalLatencyMs = 100;
    await clientsFor(emulator).sts.send(new GetCallerIdentityCommand({}));
    assert.ok(emulator.calls.filter({ service: 'sts' }).at(-1)!.durationMs >= 100);
  });

  it('validates fault rules', () => {
    assert.throws(
      () => emulator.faults.add({ service: 'ssm', operation: 'X', nth: 1, first: 2, error: { code: 'E' } }),
      /only one of "nth", "first", "every"/,
    );
    assert.throws(
      () => emulator.faults.add({ service: 'ssm', operation: 'X' }),
      /needs an "error", a "latencyMs", or both/,
    );
    assert.throws(
      () => emulator.faults.add({ service: 'ssm', operation: 'X', nth: 0, error: { code: 'E' } }),
      /must be >= 1/,
    );
  });
});

describe('emulator: faults and latency from the scenario', () => {
  it('installs scenario faults and global latency at start', async () => {
    const emulator = await startEmulator({
      scenario: {
        latencyMs: 50,
        faults: [
          {
            service: 'sagemaker',
            operation: 'ListApps',
            nth: 1,
            error: { code: 'ExpiredTokenException', message: 'expired' },
          },
        ],
      },
    });
    try {
      const sagemaker = new SageMakerClient({
        endpoint: emulator.endpoint,
        region: 'us-east-1',
        credentials: emulator.credentials(),
        maxAttempts: 1,
      });
      await expectAwsError(sagemaker.send(new ListAppsCommand({})), 'ExpiredTokenException', 400);
      await sagemaker.send(new ListAppsCommand({}));
      assert.ok(emulator.calls.all().every((call) => call.durationMs >= 50));
    } finally {
      await emulator.close();
    }
  });
});
