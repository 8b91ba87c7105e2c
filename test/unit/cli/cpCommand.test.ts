import * as assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { parseCpArguments } from '../../../src/cli/cpCommand';

describe('sm-ssh cp arguments', () => {
  it('tells download from upload by the <host>:<path> operand', () => {
    const down = parseCpArguments(['-P', '16', 'my-job.training.sagemaker:/opt/ml/model.tar.gz', 'out']);
    assert.equal(down.direction, 'download');
    assert.equal(down.host.alias, 'my-job.training.sagemaker');
    assert.equal(down.remotePath, '/opt/ml/model.tar.gz');
    assert.equal(down.localPath, resolve('out'));
    assert.equal(down.sessions, 16);
    const up = parseCpArguments(['-r', 'data', 'algo-2.my-job.training.sagemaker:']);
    assert.equal(up.direction, 'upload');
    assert.deepEqual(up.host.target, { kind: 'trainingNode', jobName: 'my-job', node: 2 });
    assert.equal(up.remotePath, '.');
    assert.equal(up.recursive, true);
    assert.equal(up.sessions, 8);
  });

  it('refuses two local or two remote operands, a bad -P, and a name that is not ours', () => {
    const usage = (error: { code?: string }): boolean => error.code === 'Usage';
    assert.throws(() => parseCpArguments(['a', 'b']), usage);
    assert.throws(() => parseCpArguments(['x.training.sagemaker:/a', 'y.training.sagemaker:/b']), usage);
    assert.throws(() => parseCpArguments(['-P', '0', 'x.training.sagemaker:/a', 'b']), usage);
    assert.throws(() => parseCpArguments(['-P', 'many', 'x.training.sagemaker:/a', 'b']), usage);
    assert.throws(() => parseCpArguments(['x.training.sagemaker:/a']), usage);
    assert.throws(() => parseCpArguments(['bad.name.sagemaker:/a', 'b']), usage);
  });
});
