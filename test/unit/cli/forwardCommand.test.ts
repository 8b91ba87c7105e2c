import * as assert from 'node:assert/strict';
import { exitCodeOfError } from '../../../src/cli/exitCodes';
import { parseForwardCommand } from '../../../src/cli/forwardCommand';

describe('sm-ssh forward arguments', () => {
  it('takes <host> <remote-port> [local-port] and -L [local:]remote pairs, in that order', () => {
    const { options, pairs } = parseForwardCommand([
      'algo-2.job.training.sagemaker',
      '8888',
      '18888',
      '-L',
      '6006',
      '-L15678:5678',
      '--profile',
      'dev',
    ]);
    assert.equal(options.host.alias, 'algo-2.job.training.sagemaker');
    assert.deepEqual(options.host.target, { kind: 'trainingNode', jobName: 'job', node: 2 });
    assert.equal(options.profile, 'dev');
    assert.deepEqual(pairs, [
      { remotePort: 8888, localPort: 18888 },
      { remotePort: 6006 },
      { remotePort: 5678, localPort: 15678 },
    ]);
  });

  it('needs only -L pairs when no positional port is given', () => {
    assert.deepEqual(parseForwardCommand(['job.training.sagemaker', '-L', '1:2']).pairs, [
      { remotePort: 2, localPort: 1 },
    ]);
  });

  it('refuses bad input as usage errors (exit 2)', () => {
    const bad = [
      ['job.training.sagemaker'],
      ['job.training.sagemaker', '0'],
      ['job.training.sagemaker', '65536'],
      ['job.training.sagemaker', '80', 'x'],
      ['job.training.sagemaker', '80', '81', '82'],
      ['job.training.sagemaker', '-L'],
      ['job.training.sagemaker', '-L', '1:2:3'],
      ['job.training.sagemaker', '80', '9000', '-L', '9000:81'],
      ['job.training.sagemaker', '80', '--bogus'],
    ];
    for (const args of bad) {
      assert.throws(
        () => parseForwardCommand(args),
        (error: unknown) => (error as { code?: string }).code === 'Usage' && exitCodeOfError(error) === 2,
        args.join(' '),
      );
    }
  });
});
