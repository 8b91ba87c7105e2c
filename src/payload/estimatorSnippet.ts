import * as path from 'node:path';

export interface EstimatorSnippetParams {
  /** The aws:userid of whoever connects (STS GetCallerIdentity UserId): the SSHOwner tag. */
  readonly ownerUserId: string;
  /** The copied sagemaker_ssh_helper folder, as the notebook or script will see it. */
  readonly payloadDir: string;
  /** The estimator's source_dir. When the payload is inside it, it ships without `dependencies`. */
  readonly sourceDir?: string;
  readonly entryPoint?: string;
  /** The SageMaker execution role ARN; a placeholder when unknown. */
  readonly roleArn?: string;
  readonly instanceCount?: number;
  /** How many nodes (algo-1 … algo-N) start SSH; default 1. */
  readonly sshInstanceCount?: number;
  /** How long the job waits for a connection before it trains; default 600. */
  readonly waitSeconds?: number;
}

/** A Python string literal (double-quoted, with backslashes and quotes escaped). */
export function pythonString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `"${escaped}"`;
}

/** CreateActivation wants the role name with its path: the part of the ARN after ":role/". */
export function roleNameFromArn(arn: string): string {
  const index = arn.indexOf(':role/');
  return index < 0 ? arn : arn.slice(index + ':role/'.length);
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(path.resolve(parent), path.resolve(child));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function shippingLines(params: EstimatorSnippetParams): string[] {
  if (params.sourceDir !== undefined && isInside(params.payloadDir, params.sourceDir)) {
    return [
      `    source_dir=${pythonString(params.sourceDir)},`,
      '    # sagemaker_ssh_helper/ is inside source_dir, so it ships with the code.',
    ];
  }
  return [
    ...(params.sourceDir !== undefined ? [`    source_dir=${pythonString(params.sourceDir)},`] : []),
    `    dependencies=[${pythonString(params.payloadDir)}],`,
  ];
}

/**
 * Python (SageMaker Python SDK) that starts a training job you can connect to: the helper folder
 * ships with the code and the environment turns SSH on, as the sagemaker-ssh-helper library's
 * SSHEstimatorWrapper would.
 */
export function estimatorSnippet(params: EstimatorSnippetParams): string {
  const roleLine = params.roleArn
    ? `role = ${pythonString(params.roleArn)}  # the SageMaker execution role`
    : 'role = "arn:aws:iam::<account>:role/<SageMaker execution role>"  # fill in';
  const ssmRole = params.roleArn ? pythonString(roleNameFromArn(params.roleArn)) : 'role.split(":role/")[-1]';
  const waitSeconds = params.waitSeconds ?? 600;
  return [
    '# SageMaker SSH: a training job you can connect to from VS Code.',
    '# The entry script calls, at its top ("SageMaker SSH: Add SSH Helper to Training Code…" inserts it):',
    '#     import sagemaker_ssh_helper',
    '#     sagemaker_ssh_helper.setup_and_start_ssh()',
    `# The job then waits up to ${waitSeconds} s: connect, and use "Stop Waiting" to let it train.`,
    '# The role must also trust ssm.amazonaws.com, and the account needs the SSM advanced-instances tier.',
    'from sagemaker.pytorch import PyTorch  # any estimator with entry_point works the same way',
    '',
    roleLine,
    '',
    'estimator = PyTorch(',
    `    entry_point=${pythonString(params.entryPoint ?? 'train.py')},`,
    ...shippingLines(params),
    '    role=role,',
    `    instance_count=${params.instanceCount ?? 1},`,
    '    instance_type="ml.m5.xlarge",',
    '    framework_version="2.3",',
    '    py_version="py311",',
    '    environment={',
    '        "START_SSH": "true",',
    `        "SSH_OWNER_TAG": ${pythonString(params.ownerUserId)},  # who may connect (an aws:userid)`,
    `        "SSH_SSM_ROLE": ${ssmRole},  # the role name the SSM activation uses`,
    `        "SSH_WAIT_TIME_SECONDS": "${waitSeconds}",`,
    `        "SSH_INSTANCE_COUNT": "${params.sshInstanceCount ?? 1}",  # nodes that start SSH: algo-1 … algo-N`,
    '    },',
    ')',
    'estimator.fit(wait=False)',
    '',
  ].join('\n');
}
