import * as assert from 'node:assert/strict';
import {
  PAYLOAD_RESOURCE_TYPES,
  arnResourceType,
  payloadResourceTarget,
} from '../../../src/targets/payloadResource';
import type { PayloadResourceTarget } from '../../../src/targets/payloadResource';
import { homeFolder, loginUser, describeTarget, nodeNameOf } from '../../../src/targets/sshTarget';
import { parseAlias, parseTargetAlias, targetAlias } from '../../../src/targets/targetAlias';
import { InvalidHostAliasError, InvalidSageMakerNameError } from '../../../src/targets/targetErrors';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('payload resource targets (processing, transform, inference, notebook)', () => {
  it("names them as upstream's sm-ssh does, with algo-N for other nodes", () => {
    const processing = payloadResourceTarget('processing', 'prep-2026-12-06');
    assert.equal(targetAlias(processing), 'prep-2026-12-06.processing.sagemaker');
    assert.equal(
      targetAlias(payloadResourceTarget('processing', 'prep', 2)),
      'algo-2.prep.processing.sagemaker',
    );
    assert.equal(targetAlias(payloadResourceTarget('transform', 'batch-1')), 'batch-1.transform.sagemaker');
    assert.equal(
      targetAlias(payloadResourceTarget('inference', 'my-endpoint')),
      'my-endpoint.inference.sagemaker',
    );
    assert.equal(targetAlias(payloadResourceTarget('notebook', 'nb-1')), 'nb-1.notebook.sagemaker');
  });

  it('parses every alias back to its target, capitals included', () => {
    for (const resourceType of PAYLOAD_RESOURCE_TYPES) {
      for (const target of [
        payloadResourceTarget(resourceType, 'My-Resource'),
        payloadResourceTarget(resourceType, 'x', 12),
      ]) {
        const alias = targetAlias(target);
        assert.equal(alias, alias.toLowerCase());
        assert.deepEqual(parseTargetAlias(alias), target);
        assert.deepEqual(parseAlias(alias), { alias, ...target });
      }
    }
  });

  it('rejects malformed aliases with a typed error', () => {
    for (const alias of [
      'processing.sagemaker',
      '.processing.sagemaker',
      'algo-1.job.processing.sagemaker',
      'algo-0.job.processing.sagemaker',
      'node-2.job.processing.sagemaker',
      'a.b.job.transform.sagemaker',
      'job-.notebook.sagemaker',
    ]) {
      assert.equal(
        codeOf(() => parseTargetAlias(alias)),
        new InvalidHostAliasError(alias, '').code,
        alias,
      );
    }
    assert.equal(
      codeOf(() => targetAlias(payloadResourceTarget('notebook', 'bad_name'))),
      new InvalidSageMakerNameError('notebook instance', 'x', '', '').code,
    );
  });

  it('logs in as root in /root, names nodes and resources for messages', () => {
    const notebook: PayloadResourceTarget = payloadResourceTarget('notebook', 'nb');
    assert.equal(loginUser(notebook), 'root');
    assert.equal(homeFolder(notebook), '/root');
    assert.equal(describeTarget(payloadResourceTarget('inference', 'ep')), 'endpoint "ep"');
    assert.equal(nodeNameOf(payloadResourceTarget('processing', 'p', 3)), 'algo-3');
    assert.equal(nodeNameOf(payloadResourceTarget('processing', 'p', 1)), undefined);
  });

  it('knows the ARN resource type each container tags its registration with', () => {
    assert.deepEqual(PAYLOAD_RESOURCE_TYPES.map(arnResourceType), [
      'processing-job',
      'transform-job',
      'endpoint',
      'notebook-instance',
    ]);
  });
});
