import * as assert from 'node:assert/strict';
import {
  remoteDebugAlias,
  remoteDebugNodeTarget,
  remoteDebugSsmTarget,
} from '../../../src/targets/remoteDebugNode';
import { isResolved, loginUser, homeFolder, describeTarget } from '../../../src/targets/sshTarget';
import { parseAlias, parseTargetAlias, targetAlias } from '../../../src/targets/targetAlias';
import { targetArgs } from '../../../src/proxy/proxyArgv';
import { parseHostCommand } from '../../../src/cli/cliTarget';

describe('remote-debug node targets', () => {
  it('aliases: <job>.debug.sagemaker for algo-1, algo-N.<job>.debug.sagemaker, read back exactly', () => {
    const one = remoteDebugNodeTarget('My-Job');
    const two = remoteDebugNodeTarget('My-Job', 2);
    assert.deepEqual(remoteDebugNodeTarget('My-Job', 1), one, 'algo-1 is the node-less form');
    assert.notEqual(targetAlias(one), targetAlias(two));
    for (const target of [one, two]) {
      assert.ok(targetAlias(target).endsWith('.debug.sagemaker'));
      assert.deepEqual(parseTargetAlias(targetAlias(target)), target);
    }
    assert.equal(remoteDebugAlias(two).split('.')[0], 'algo-2');
  });

  it('cannot collide with the payload alias of the same job and node', () => {
    const training = targetAlias({ kind: 'trainingNode', jobName: 'my-job', node: 2 });
    const debug = targetAlias(remoteDebugNodeTarget('my-job', 2));
    assert.notEqual(training, debug);
    assert.equal(parseAlias(training).kind, 'trainingNode');
    assert.equal(parseAlias(debug).kind, 'remoteDebugNode');
  });

  it('refuses malformed aliases with SSH_INVALID_HOST_ALIAS', () => {
    for (const alias of [
      'algo-1.job.debug.sagemaker',
      'node-2.job.debug.sagemaker',
      'a.b.c.debug.sagemaker',
    ]) {
      assert.throws(
        () => parseTargetAlias(alias),
        (error: { code?: string }) => error.code === 'SSH_INVALID_HOST_ALIAS',
        alias,
      );
    }
  });

  it('the SSM target SageMaker serves, login root in /root, a description naming the node', () => {
    const target = remoteDebugNodeTarget('My-Job', 3);
    assert.equal(remoteDebugSsmTarget(target), 'sagemaker-training-job:My-Job_algo-3');
    assert.equal(
      remoteDebugSsmTarget(remoteDebugNodeTarget('My-Job')),
      'sagemaker-training-job:My-Job_algo-1',
    );
    assert.ok(isResolved(target));
    assert.equal(loginUser(target), 'root');
    assert.equal(homeFolder(target), '/root');
    assert.match(describeTarget(target), /algo-3 of training job "My-Job" \(remote debug\)/);
  });

  it('the ProxyCommand flags round-trip through the CLI parser, keeping the exact job name', () => {
    const target = remoteDebugNodeTarget('My-Job', 2);
    const parsed = parseHostCommand('start-proxy', [targetAlias(target), ...targetArgs(target)]);
    assert.deepEqual(parsed.host.target, target);
    assert.deepEqual(targetArgs(remoteDebugNodeTarget('J')), ['--remote-debug-job', 'J']);
  });
});
