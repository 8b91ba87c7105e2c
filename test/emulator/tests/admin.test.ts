import * as assert from 'node:assert/strict';
import { ListAppsCommand } from '@aws-sdk/client-sagemaker';
import { DescribeInstanceInformationCommand } from '@aws-sdk/client-ssm';
import { clientsFor, expectAwsError, rawRequest, useEmulator } from '../../support/emulator';

describe('emulator: admin API (/_emulator/)', () => {
  const emulator = useEmulator({
    sagemaker: {
      trainingJobs: [
        { name: 'a', status: 'InProgress' },
        { name: 'b', status: 'Completed' },
      ],
    },
    ssm: { instances: [{ id: 'mi-00000000000000001' }] },
  });
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await rawRequest(emulator(), {
      method,
      path: `/_emulator/${path}`,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: JSON.parse(response.body) as Record<string, unknown> };
  };

  it('reports health, state and environment', async () => {
    const health = await admin('GET', 'health');
    assert.deepEqual(health.json, {
      ok: true,
      endpoint: emulator().endpoint,
      region: 'us-east-1',
      account: '123456789012',
      partition: 'aws',
    });
    const state = await admin('GET', 'state');
    assert.deepEqual(state.json.trainingJobs, { InProgress: 1, Completed: 1 });
    assert.deepEqual(state.json.managedInstances, { Online: 1 });
    const env = await admin('GET', 'env');
    assert.equal(env.json.AWS_ENDPOINT_URL, emulator().endpoint);
  });

  it('lists calls with filters and resets them', async () => {
    await admin('POST', 'calls/reset');
    const { sagemaker, ssm } = clientsFor(emulator());
    await sagemaker.send(new ListAppsCommand({}));
    await sagemaker.send(new ListAppsCommand({}));
    await ssm.send(new DescribeInstanceInformationCommand({}));
    const all = await admin('GET', 'calls');
    assert.equal((all.json.calls as unknown[]).length, 3);
    const filtered = await admin('GET', 'calls?service=sagemaker&operation=ListApps');
    const calls = filtered.json.calls as { operation: string; identity: string }[];
    assert.equal(calls.length, 2);
    assert.equal(calls[0]!.identity, 'arn:aws:iam::123456789012:user/developer');
    const since = await admin('GET', `calls?since=${(all.json.lastSeq as number) - 1}`);
    assert.equal((since.json.calls as unknown[]).length, 1);
    const reset = await admin('POST', 'calls/reset');
    assert.deepEqual(reset.json, { cleared: 3 });
    assert.equal(emulator().calls.count(), 0);
  });

  it('installs, lists and clears faults; sets global latency', async () => {
    const added = await admin('POST', 'faults', {
      service: 'sagemaker',
      operation: 'ListApps',
      error: { code: 'ThrottlingException', message: 'slow down' },
    });
    assert.equal(added.status, 200);
    const [id] = added.json.ids as number[];
    await expectAwsError(
      clientsFor(emulator()).sagemaker.send(new ListAppsCommand({})),
      'ThrottlingException',
    );
    const listed = await admin('GET', 'faults');
    assert.equal((listed.json.faults as { matched: number }[])[0]!.matched, 1);
    assert.equal((await admin('DELETE', `faults/${id}`)).status, 200);
    assert.equal((await admin('DELETE', `faults/${id}`)).status, 404);
    await clientsFor(emulator()).sagemaker.send(new ListAppsCommand({}));
    await admin('POST', 'faults', { faults: [{ service: 'ssm', operation: '*', latencyMs: 1 }] });
    await admin('POST', 'faults/clear');
    assert.deepEqual((await admin('GET', 'faults')).json.faults, []);
    const invalid = await admin('POST', 'faults', { service: 'ssm' });
    assert.equal(invalid.status, 400);
    assert.match(invalid.json.error as string, /operation: is required/);
    assert.deepEqual((await admin('POST', 'latency', { ms: 5 })).json, { globalLatencyMs: 5 });
    assert.equal((await admin('POST', 'latency', { ms: -1 })).status, 400);
    await admin('POST', 'latency', { ms: 0 });
  });

  it('simulates containers: activations, registration, ping status', async () => {
    const activation = await admin('POST', 'activations', {
      iamRole: 'SageMakerExecutionRole',
      tags: { SSHOwner: 'AIDAX' },
    });
    const registered = await admin('POST', 'instances/register', {
      activationId: activation.json.activationId,
      activationCode: activation.json.activationCode,
      info: { computerName: 'algo-1' },
    });
    const instanceId = registered.json.instanceId as string;
    assert.match(instanceId, /^mi-[0-9a-f]{17}$/);
    assert.equal(
      (await admin('POST', `instances/${instanceId}/ping`, { status: 'ConnectionLost' })).status,
      200,
    );
    const { ssm } = clientsFor(emulator());
    const result = await ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'tag:SSHOwner', Values: ['AIDAX'] }] }),
    );
    assert.equal(result.InstanceInformationList![0]!.PingStatus, 'ConnectionLost');
    const again = await admin('POST', 'instances/register', {
      activationId: activation.json.activationId,
      activationCode: activation.json.activationCode,
    });
    assert.equal(again.status, 400);
    assert.equal(again.json.code, 'InvalidActivation');
    assert.equal((await admin('POST', `instances/${instanceId}/ping`, { status: 'Sleeping' })).status, 400);
  });

  it('answers unknown routes and bad bodies with JSON errors', async () => {
    assert.equal((await admin('GET', 'nope')).status, 404);
    assert.equal((await admin('PUT', 'state')).status, 405);
    const bad = await rawRequest(emulator(), { method: 'POST', path: '/_emulator/faults', body: '{oops' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /not valid JSON/);
  });
});
