import * as assert from 'node:assert/strict';
import { remoteResourceOf, sshRemoteHost } from '../../../src/targets/remoteResource';

const hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex');

describe('remoteResourceOf (Download… in a Remote-SSH window)', () => {
  it('reads the host of ssh-remote+<alias> and of Remote-SSH’s hex-encoded JSON form', () => {
    assert.equal(sshRemoteHost('ssh-remote+my-job.training.sagemaker'), 'my-job.training.sagemaker');
    assert.equal(
      sshRemoteHost(`ssh-remote+${hex('{"hostName":"algo-2.my-job.training.sagemaker"}')}`),
      'algo-2.my-job.training.sagemaker',
    );
    assert.equal(sshRemoteHost('ssh-remote+7bad'), '7bad', 'hex digits that are no JSON are a host name');
    assert.equal(sshRemoteHost('wsl+ubuntu'), undefined);
    assert.equal(sshRemoteHost('ssh-remote+'), undefined);
  });

  it('gives the target and the path of a file on a training node', () => {
    assert.deepEqual(
      remoteResourceOf({
        scheme: 'vscode-remote',
        authority: 'ssh-remote+algo-2.my-job.training.sagemaker',
        path: '/opt/ml/model/model.tar.gz',
      }),
      {
        alias: 'algo-2.my-job.training.sagemaker',
        target: { kind: 'trainingNode', jobName: 'my-job', node: 2 },
        remotePath: '/opt/ml/model/model.tar.gz',
      },
    );
  });

  it('gives a Studio app target with its owner kind left to look up', () => {
    const { target, remotePath } = remoteResourceOf({
      scheme: 'vscode-remote',
      authority: 'ssh-remote+default.team.d-abc123.studio.sagemaker',
      path: '/home/sagemaker-user/results',
    });
    assert.equal(target.kind, 'studioApp');
    assert.equal(remotePath, '/home/sagemaker-user/results');
  });

  it('refuses local files, other remotes and hosts that are not ours, with typed errors', () => {
    const codeOf = (uri: { scheme: string; authority: string; path: string }): string => {
      try {
        remoteResourceOf(uri);
      } catch (error) {
        return (error as { code: string }).code;
      }
      return 'no error';
    };
    assert.equal(codeOf({ scheme: 'file', authority: '', path: '/home/me/x' }), 'NotARemoteSshResource');
    assert.equal(
      codeOf({ scheme: 'vscode-remote', authority: 'wsl+ubuntu', path: '/x' }),
      'NotARemoteSshResource',
    );
    assert.equal(
      codeOf({ scheme: 'vscode-remote', authority: 'ssh-remote+build-box', path: '/x' }),
      'NotASageMakerHost',
    );
    assert.equal(
      codeOf({ scheme: 'vscode-remote', authority: 'ssh-remote+sagemaker-training', path: '/x' }),
      'SSH_INVALID_HOST_ALIAS',
      'the stable alias names no single job',
    );
  });
});
