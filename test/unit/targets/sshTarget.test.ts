import * as assert from 'node:assert/strict';
import type { ResolvedTarget } from '../../../src/targets/sshTarget';
import {
  describeTarget,
  homeFolder,
  isResolved,
  loginUser,
  nodeNameOf,
  studioAppTarget,
  trainingNodeTarget,
} from '../../../src/targets/sshTarget';

const space = { kind: 'studioApp', domainId: 'd-x', ownerName: 'team', appName: 'default' } as const;

describe('SshTarget', () => {
  it('logs in as the user the container runs as: root in training jobs and Studio Classic, sagemaker-user in spaces', () => {
    const cases: Array<[ResolvedTarget, string, string]> = [
      [trainingNodeTarget('job'), 'root', '/root'],
      [trainingNodeTarget('job', 'algo-2'), 'root', '/root'],
      [{ ...space, ownerKind: 'space', appType: 'JupyterLab' }, 'sagemaker-user', '/home/sagemaker-user'],
      [{ ...space, ownerKind: 'space', appType: 'CodeEditor' }, 'sagemaker-user', '/home/sagemaker-user'],
      [{ ...space, ownerKind: 'userProfile', appType: 'KernelGateway' }, 'root', '/root'],
    ];
    for (const [target, user, home] of cases) {
      assert.equal(loginUser(target), user, JSON.stringify(target));
      assert.equal(homeFolder(target), home, JSON.stringify(target));
    }
  });

  it('knows the owner kind of a listed app, not of one named by its alias alone', () => {
    assert.equal(isResolved(space), false);
    assert.equal(isResolved(trainingNodeTarget('job')), true);
    const listed = studioAppTarget({
      domainId: 'd-x',
      ownerKind: 'userProfile',
      ownerName: 'alice',
      appType: 'KernelGateway',
      appName: 'kgw',
      status: 'InService',
    });
    assert.deepEqual(listed, {
      kind: 'studioApp',
      domainId: 'd-x',
      ownerKind: 'userProfile',
      ownerName: 'alice',
      appName: 'kgw',
      appType: 'KernelGateway',
    });
    assert.equal(isResolved(listed), true);
  });

  it('names training nodes algo-N, and a job without a node none', () => {
    assert.deepEqual(trainingNodeTarget('job', 'algo-12'), {
      kind: 'trainingNode',
      jobName: 'job',
      node: 12,
    });
    assert.equal(nodeNameOf(trainingNodeTarget('job', 'algo-12')), 'algo-12');
    assert.equal(nodeNameOf(trainingNodeTarget('job')), undefined);
    assert.equal(nodeNameOf(space), undefined);
    assert.equal(describeTarget(trainingNodeTarget('job', 'algo-2')), 'training job "job"');
    assert.equal(describeTarget(space), 'Studio app "default" of team in d-x');
  });
});
