import * as assert from 'node:assert/strict';
import { instanceMatchesTarget, readinessOf, sshNodesFor } from '../../../src/instances/matchSshNodes';
import type { SshTarget } from '../../../src/targets/sshTarget';
import { anInstance, appTags, trainingTags } from '../../builders/sshInstanceBuilder';

const job: SshTarget = { kind: 'trainingNode', jobName: 'Bert-Finetune' };
const me = 'AIDAME';

describe('SSH readiness matching', () => {
  it('matches job names case-insensitively', () => {
    const instance = anInstance({ tags: trainingTags('bert-finetune') });
    assert.equal(instanceMatchesTarget(instance, job), true);
  });

  it('checks the ARN resource type and name, not just the name tag', () => {
    const processing = anInstance({
      tags: {
        resourceName: 'Bert-Finetune',
        resourceArn: 'arn:aws:sagemaker:us-east-1:1:processing-job/bert-finetune',
      },
    });
    const otherArn = anInstance({
      tags: trainingTags('Bert-Finetune', {
        resourceArn: 'arn:aws:sagemaker:us-east-1:1:training-job/other',
      }),
    });
    const noArn = anInstance({ tags: { resourceName: 'Bert-Finetune' } });
    for (const instance of [processing, otherArn, noArn]) {
      assert.equal(instanceMatchesTarget(instance, job), false);
    }
  });

  it('matches Studio apps by domain and user profile or space', () => {
    const target: SshTarget = {
      kind: 'studioApp',
      domainId: 'd-abc',
      ownerName: 'alice',
      appName: 'default',
    };
    assert.equal(
      instanceMatchesTarget(anInstance({ tags: appTags('d-abc', 'alice', 'jupyterlab', 'default') }), target),
      true,
    );
    assert.equal(
      instanceMatchesTarget(anInstance({ tags: appTags('d-abc', 'bob', 'jupyterlab', 'default') }), target),
      false,
    );
    assert.equal(
      instanceMatchesTarget(anInstance({ tags: appTags('d-xyz', 'alice', 'jupyterlab', 'default') }), target),
      false,
    );
  });

  it('tells apart apps of different types with one name in one space', () => {
    const lab = anInstance({ tags: appTags('d-abc', 'team', 'jupyterlab', 'default') });
    const editor = anInstance({ tags: appTags('d-abc', 'team', 'codeeditor', 'default') });
    const target = (appType?: string): SshTarget => ({
      kind: 'studioApp',
      domainId: 'd-abc',
      ownerName: 'team',
      appName: 'default',
      appType,
    });
    const matches = (appType?: string): boolean[] =>
      [lab, editor].map((instance) => instanceMatchesTarget(instance, target(appType)));
    assert.deepEqual(matches('JupyterLab'), [true, false]);
    assert.deepEqual(matches('CodeEditor'), [false, true]);
    assert.deepEqual(matches(undefined), [true, true], 'a target without a type matches any');
  });

  it('prefers an Online registration over a newer offline one', () => {
    const stale = anInstance({
      pingStatus: 'ConnectionLost',
      tags: trainingTags('bert-finetune', { owner: me, timestamp: 2000 }),
    });
    const live = anInstance({
      pingStatus: 'Online',
      tags: trainingTags('bert-finetune', { owner: me, timestamp: 1000 }),
    });
    const [node] = sshNodesFor(job, [stale, live], me);
    assert.equal(node.instance.instanceId, live.instanceId);
    assert.equal(node.staleCount, 1);
  });

  it('prefers the newest SSHTimestamp among equally online registrations', () => {
    const older = anInstance({ tags: trainingTags('bert-finetune', { owner: me, timestamp: 1000 }) });
    const newer = anInstance({ tags: trainingTags('bert-finetune', { owner: me, timestamp: 3000 }) });
    assert.equal(sshNodesFor(job, [older, newer], me)[0].instance.instanceId, newer.instanceId);
  });

  it("prefers the caller's own registration and flags another owner's", () => {
    const theirs = anInstance({
      tags: trainingTags('bert-finetune', { owner: 'AIDATHEM', timestamp: 9000 }),
    });
    const mine = anInstance({ tags: trainingTags('bert-finetune', { owner: me, timestamp: 1000 }) });
    const [node] = sshNodesFor(job, [theirs, mine], me);
    assert.equal(node.instance.instanceId, mine.instanceId);
    assert.equal(node.ownedByCaller, true);
    const [onlyTheirs] = sshNodesFor(job, [theirs], me);
    assert.equal(onlyTheirs.ownedByCaller, false);
  });

  it('splits multi-node jobs by SSHHost, else by computer name, in natural order', () => {
    const nodes = sshNodesFor(
      job,
      [
        anInstance({ computerName: 'ip-10-0-0-1', tags: trainingTags('bert-finetune', { host: 'algo-10' }) }),
        anInstance({ computerName: 'algo-2', tags: trainingTags('bert-finetune') }),
        anInstance({ computerName: 'ip-10-0-0-3', tags: trainingTags('bert-finetune', { host: 'algo-1' }) }),
      ],
      undefined,
    );
    assert.deepEqual(
      nodes.map((n) => n.name),
      ['algo-1', 'algo-2', 'algo-10'],
    );
  });

  it('labels readiness at a glance', () => {
    const online = anInstance({ computerName: 'algo-1', tags: trainingTags('bert-finetune') });
    const offline = anInstance({
      computerName: 'algo-2',
      pingStatus: 'ConnectionLost',
      tags: trainingTags('bert-finetune'),
    });
    assert.equal(readinessOf(sshNodesFor(job, [online, offline], undefined)).label, 'SSH 1/2 online');
    assert.equal(readinessOf(sshNodesFor(job, [offline], undefined)).label, 'SSH offline');
    assert.equal(readinessOf(sshNodesFor(job, [], undefined)).label, 'no SSH');
  });
});

describe('SSH nodes with tags that cannot be used (issue 13, defect 7)', () => {
  it('skips a registration whose SSHHost tag or computer name is not algo-1…algo-9999, and says why', () => {
    const good = anInstance({ tags: trainingTags('bert-finetune', { host: 'algo-2' }) });
    const bad = ['algo-0', 'algo-10000', 'algo-01', 'garbage\n\u001b[31m'].map((host) =>
      anInstance({ tags: trainingTags('bert-finetune', { host }) }),
    );
    const badComputer = anInstance({ computerName: 'algo-0', tags: trainingTags('bert-finetune') });
    const skipped: string[] = [];
    const nodes = sshNodesFor(job, [good, ...bad, badComputer], me, (message) => skipped.push(message));
    assert.deepEqual(
      nodes.map((n) => n.name),
      ['algo-2'],
    );
    assert.equal(skipped.length, 5);
    assert.ok(skipped[0].includes(bad[0].instanceId) && skipped[0].includes('"algo-0"'), skipped[0]);
    assert.ok(skipped[3].includes('"garbage\\n\\u001b[31m"'), skipped[3]);
    assert.ok(skipped[4].includes('computer name "algo-0"'), skipped[4]);
  });

  it('keeps Studio apps whatever their SSHHost tag says', () => {
    const target: SshTarget = {
      kind: 'studioApp',
      domainId: 'd-abc',
      ownerName: 'alice',
      appName: 'default',
    };
    const app = anInstance({
      tags: { ...appTags('d-abc', 'alice', 'jupyterlab', 'default'), host: 'algo-0' },
    });
    assert.equal(sshNodesFor(target, [app], me).length, 1);
  });
});

describe('payload resources and upstream-bootstrapped nodes (issue 12, item 5)', () => {
  /** A registration as upstream's sm-init-ssm makes it: no SSHHost tag; the agent reports `hostname --fqdn`. */
  function upstreamRegistration(
    arnType: string,
    name: string,
    computerName: string,
  ): ReturnType<typeof anInstance> {
    return anInstance({
      computerName,
      tags: {
        owner: me,
        creator: 'AROAROLE:SageMaker',
        resourceName: name,
        resourceArn: `arn:aws:sagemaker:us-east-1:111122223333:${arnType}/${name.toLowerCase()}`,
        host: undefined,
      },
    });
  }

  it('matches a processing job registration by its ARN type, not a training job of the same name', () => {
    const target: SshTarget = { kind: 'payloadResource', resourceType: 'processing', name: 'Prep' };
    const processing = upstreamRegistration('processing-job', 'Prep', 'algo-1');
    const training = upstreamRegistration('training-job', 'Prep', 'algo-1');
    assert.equal(instanceMatchesTarget(processing, target), true);
    assert.equal(instanceMatchesTarget(training, target), false);
    assert.equal(instanceMatchesTarget(processing, { kind: 'trainingNode', jobName: 'Prep' }), false);
    const notebook = upstreamRegistration('notebook-instance', 'nb', 'algo-1-x7k2q');
    assert.equal(
      instanceMatchesTarget(notebook, { kind: 'payloadResource', resourceType: 'notebook', name: 'nb' }),
      true,
    );
  });

  it('names the nodes of upstream registrations (no SSHHost) from the computer name algo-N, with or without a domain', () => {
    const target: SshTarget = { kind: 'payloadResource', resourceType: 'processing', name: 'prep' };
    const nodes = sshNodesFor(
      target,
      [
        upstreamRegistration('processing-job', 'prep', 'algo-2.ec2.internal'),
        upstreamRegistration('processing-job', 'prep', 'algo-1'),
      ],
      me,
    );
    assert.deepEqual(
      nodes.map((n) => n.name),
      ['algo-1', 'algo-2'],
    );
    const training = sshNodesFor(job, [upstreamRegistration('training-job', 'bert-finetune', 'algo-3')], me);
    assert.deepEqual(
      training.map((n) => n.name),
      ['algo-3'],
    );
  });

  it("keeps a computer name that names no node (local mode's algo-1-x7k2q) as the node's name", () => {
    const target: SshTarget = { kind: 'payloadResource', resourceType: 'notebook', name: 'nb' };
    const nodes = sshNodesFor(target, [upstreamRegistration('notebook-instance', 'nb', 'algo-1-x7k2q')], me);
    assert.deepEqual(
      nodes.map((n) => n.name),
      ['algo-1-x7k2q'],
    );
  });
});

describe('endpoint registrations (no resource tags, found through the endpoint log)', () => {
  it('match an endpoint target, and never a job or app of any name', () => {
    const unnamed = anInstance({ computerName: 'ip-10-2-1-7', tags: { owner: me } });
    assert.equal(
      instanceMatchesTarget(unnamed, { kind: 'payloadResource', resourceType: 'inference', name: 'ep' }),
      true,
    );
    assert.equal(
      instanceMatchesTarget(unnamed, { kind: 'payloadResource', resourceType: 'processing', name: 'ep' }),
      false,
    );
    assert.equal(instanceMatchesTarget(unnamed, job), false);
  });
});
