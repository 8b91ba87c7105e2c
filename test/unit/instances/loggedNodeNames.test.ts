import * as assert from 'node:assert/strict';
import { resolveSshNode } from '../../../src/connect/resolveTarget';
import { listTrainingJobEntries } from '../../../src/explorer/trainingJobEntries';
import { listPayloadResourceEntries } from '../../../src/explorer/payloadResourceEntries';
import { payloadResourceTarget } from '../../../src/targets/payloadResource';
import { trainingNodeTarget } from '../../../src/targets/sshTarget';
import { connect, useAwsEnvironment } from '../../builders/awsEnvironment';
import { ScenarioBuilder, me, testAccount, testRegion } from '../../builders/scenarioBuilder';
import { useEmulator } from '../../support/emulator';

/**
 * Upstream-bootstrapped nodes on SageMaker: no SSHHost tag, and every training container's hostname
 * (so the agent's ComputerName) is "aws". Their node comes from the "SSH Helper Log IP" line
 * upstream's sm-setup-ssh writes to each node's log stream.
 */
describe('nodes of upstream registrations named from the job log', function () {
  this.timeout(30_000);
  const b = new ScenarioBuilder();
  b.trainingJob('upstream-2node', { instanceCount: 2 });
  b.trainingJob('upstream-nolog', { instanceCount: 2 });
  b.trainingJob('ours-2node', { instanceCount: 2 });
  const first = b.trainingRegistration('upstream-2node', { computerName: 'aws', ipAddress: '10.0.1.5' });
  const second = b.trainingRegistration('upstream-2node', { computerName: 'aws', ipAddress: '10.0.2.7' });
  b.trainingRegistration('upstream-nolog', { computerName: 'aws', ipAddress: '10.0.3.1' });
  b.trainingRegistration('upstream-nolog', { computerName: 'aws', ipAddress: '10.0.3.2' });
  b.trainingRegistration('ours-2node', { host: 'algo-1', ipAddress: '10.0.4.1' });
  b.trainingRegistration('ours-2node', { host: 'algo-2', ipAddress: '10.0.4.2' });
  const prepArn = `arn:aws:sagemaker:${testRegion}:${testAccount}:processing-job/prep`;
  const prep2 = b.registration('prep', prepArn, { computerName: 'aws', ipAddress: '10.0.5.2' });
  b.registration('prep', prepArn, { computerName: 'aws', ipAddress: '10.0.5.1' });
  const built = b.build();
  const emulator = useEmulator({
    ...built,
    sagemaker: { ...built.sagemaker, processingJobs: [{ name: 'prep', instanceCount: 2 }] },
  });
  useAwsEnvironment(() => emulator().env(me.name));
  before(() => {
    const logs = emulator().logs;
    // As SageMaker stores the containers' output: one stream per node, <job>/algo-N-<epoch>.
    logs.appendText(
      '/aws/sagemaker/TrainingJobs',
      'upstream-2node/algo-1-1764000000',
      'SSH Helper Log IP: 10.0.1.5 172.17.0.1 \n',
    );
    logs.appendText(
      '/aws/sagemaker/TrainingJobs',
      'upstream-2node/algo-2-1764000000',
      'Training started\nSSH Helper Log IP: 10.0.2.7 \n',
    );
    logs.appendText(
      '/aws/sagemaker/ProcessingJobs',
      'prep/algo-2-1764000000',
      'SSH Helper Log IP: 10.0.5.2\n',
    );
    logs.appendText(
      '/aws/sagemaker/ProcessingJobs',
      'prep/algo-1-1764000000',
      'SSH Helper Log IP: 10.0.5.1\n',
    );
  });

  it('connects to algo-2 of an upstream job (its ComputerName is "aws" on every node)', async () => {
    const connection = await connect();
    const node = await resolveSshNode(connection, trainingNodeTarget('upstream-2node', 'algo-2'));
    assert.equal(node.instance.instanceId, second);
    assert.equal(
      (await resolveSshNode(connection, trainingNodeTarget('upstream-2node'))).instance.instanceId,
      first,
    );
  });

  it('shows both nodes in the listing, SSH 2/2, with one log read for the job that needs it only', async () => {
    const since = emulator().calls.lastSeq;
    const { entries } = await listTrainingJobEntries(await connect(), {
      filters: {},
      pageSize: 50,
      pages: 1,
    });
    const readiness = (name: string) => entries.find((e) => e.job.name === name)!.readiness;
    assert.deepEqual(
      readiness('upstream-2node').nodes.map((n) => n.name),
      ['algo-1', 'algo-2'],
    );
    assert.equal(readiness('upstream-2node').label, 'SSH 2/2 online');
    assert.deepEqual(
      readiness('ours-2node').nodes.map((n) => n.name),
      ['algo-1', 'algo-2'],
    );
    const logReads = emulator()
      .calls.filter({ service: 'logs', since })
      .map((c) => c.operation);
    // upstream-2node and upstream-nolog need their logs; ours-2node carries SSHHost.
    assert.deepEqual(logReads, ['FilterLogEvents', 'FilterLogEvents']);
  });

  it('without a log line to go by, registrations that name no node stay one node, as before', async () => {
    const { entries } = await listTrainingJobEntries(await connect(), {
      filters: {},
      pageSize: 50,
      pages: 1,
    });
    const nolog = entries.find((e) => e.job.name === 'upstream-nolog')!.readiness;
    assert.deepEqual(
      nolog.nodes.map((n) => n.name),
      ['aws'],
    );
  });

  it('names processing nodes from /aws/sagemaker/ProcessingJobs the same way', async () => {
    const connection = await connect();
    const [entry] = await listPayloadResourceEntries(connection, 'processing');
    assert.deepEqual(
      entry!.readiness.nodes.map((n) => [n.name, n.instance.ipAddress]),
      [
        ['algo-1', '10.0.5.1'],
        ['algo-2', '10.0.5.2'],
      ],
    );
    const node = await resolveSshNode(connection, payloadResourceTarget('processing', 'prep', 2));
    assert.equal(node.instance.instanceId, prep2);
  });
});
