import * as assert from 'node:assert/strict';
import { estimatorSnippet, pythonString, roleNameFromArn } from '../../../src/payload/estimatorSnippet';
import { run } from './support';

/** Evaluates the snippet's estimator arguments with a stand-in PyTorch class (no SageMaker SDK needed). */
async function estimatorArguments(snippet: string): Promise<Record<string, unknown>> {
  const program = [
    'import json, sys, types',
    'captured = {}',
    'class PyTorch:',
    '    def __init__(self, **kwargs): captured.update(kwargs)',
    '    def fit(self, wait=True): captured["fit_wait"] = wait',
    'sys.modules["sagemaker"] = types.ModuleType("sagemaker")',
    'sys.modules["sagemaker.pytorch"] = types.ModuleType("sagemaker.pytorch")',
    'sys.modules["sagemaker.pytorch"].PyTorch = PyTorch',
    'exec(compile(sys.stdin.read(), "snippet.py", "exec"), {})',
    'print(json.dumps(captured))',
  ].join('\n');
  const result = await run('python3', ['-c', program], { input: snippet });
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe('payload: the estimator snippet', () => {
  it("is Python that turns SSH on with the caller's aws:userid and ships the helper as a dependency", async () => {
    const snippet = estimatorSnippet({
      ownerUserId: 'AROAEXAMPLE:terry@example.com',
      payloadDir: 'helpers/sagemaker_ssh_helper',
      sourceDir: 'src',
      roleArn: 'arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-1',
      sshInstanceCount: 2,
      instanceCount: 3,
    });
    const args = await estimatorArguments(snippet);
    assert.deepEqual(args.dependencies, ['helpers/sagemaker_ssh_helper']);
    assert.equal(args.source_dir, 'src');
    assert.equal(args.entry_point, 'train.py');
    assert.equal(args.instance_count, 3);
    assert.equal(args.role, 'arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-1');
    assert.deepEqual(args.environment, {
      START_SSH: 'true',
      SSH_OWNER_TAG: 'AROAEXAMPLE:terry@example.com',
      SSH_SSM_ROLE: 'service-role/AmazonSageMaker-ExecutionRole-1',
      SSH_WAIT_TIME_SECONDS: '600',
      SSH_INSTANCE_COUNT: '2',
    });
    assert.equal(args.fit_wait, false);
    assert.match(snippet, /import sagemaker_ssh_helper\n# {5}sagemaker_ssh_helper\.setup_and_start_ssh\(\)/);
  });

  it('needs no dependencies entry when the helper is inside source_dir, and derives the role name without an ARN', async () => {
    const args = await estimatorArguments(
      estimatorSnippet({
        ownerUserId: 'AIDAEXAMPLE',
        payloadDir: 'src/sagemaker_ssh_helper',
        sourceDir: 'src',
        waitSeconds: 60,
      }),
    );
    assert.equal(args.dependencies, undefined);
    const environment = args.environment as Record<string, string>;
    assert.equal(environment.SSH_SSM_ROLE, '<SageMaker execution role>');
    assert.equal(environment.SSH_WAIT_TIME_SECONDS, '60');
    assert.equal(environment.SSH_INSTANCE_COUNT, '1');
  });

  it('quotes values safely (Windows paths, quotes)', async () => {
    const args = await estimatorArguments(
      estimatorSnippet({ ownerUserId: 'AIDA"x\\y', payloadDir: 'C:\\work\\sagemaker_ssh_helper' }),
    );
    assert.deepEqual(args.dependencies, ['C:\\work\\sagemaker_ssh_helper']);
    assert.equal((args.environment as Record<string, string>).SSH_OWNER_TAG, 'AIDA"x\\y');
    assert.equal(pythonString('a"b\\c\nd'), '"a\\"b\\\\c\\nd"');
  });

  it('takes the role name (with its path) from an ARN', () => {
    assert.equal(roleNameFromArn('arn:aws-cn:iam::123456789012:role/path/to/Role'), 'path/to/Role');
    assert.equal(roleNameFromArn('MyRole'), 'MyRole');
  });
});
