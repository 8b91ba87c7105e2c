import type { EventuallyOptions } from '../../../support/wait';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  DescribeActivationsCommand,
  DescribeInstanceInformationCommand,
  ListTagsForResourceCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { Emulator, IdentitySpec, JsonOperationTable } from '../../../emulator';
import type { SimulatedContainer } from '../../../emulator/containers/container';
import type { ContainerFile } from '../../../emulator/containers/sandbox';
import { ScenarioBuilder } from '../../../builders/scenarioBuilder';
import { throwawaySshArgs } from '../../../builders/throwawaySsh';
import { runHostProcess } from '../../../emulator/containers/processes';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const OWNER_USER_ID = 'AIDAPAYLOADOWNER0001';
export const ROLE_NAME = 'SageMakerExecutionRole';
export const REPO_ROOT = path.resolve(__dirname, '../../../../..');
export const PACKAGE_DIR = path.join(REPO_ROOT, 'media', 'remote', 'sagemaker_ssh_helper');
export const CODE_PACKAGE = '/opt/ml/code/sagemaker_ssh_helper';
export const SM_SSH_CLI = path.join(REPO_ROOT, 'out', 'src', 'cli', 'smSsh.js');

export const DEVELOPER: IdentitySpec = {
  name: 'developer',
  accessKeyId: 'AKIAPAYLOADDEV00001',
  secretAccessKey: 'payload-developer-secret',
  arn: `arn:aws:iam::${ACCOUNT}:user/developer`,
  userId: OWNER_USER_ID,
};

export const EXECUTION_ROLE: IdentitySpec = {
  name: 'execution-role',
  accessKeyId: 'ASIAPAYLOADEXEC0001',
  secretAccessKey: 'payload-execution-role-secret',
  sessionToken: 'payload-execution-role-token',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/SageMaker`,
  userId: 'AROAPAYLOADEXEC0001:SageMaker',
};

/** The payload tests' account: the developer and the execution role the containers act as. */
export function payloadScenario(): ScenarioBuilder {
  return new ScenarioBuilder().account(ACCOUNT).identities(DEVELOPER, EXECUTION_ROLE);
}

/** The bundled payload as container files under /opt/ml/code (as a job's source_dir ships it). */
export function payloadFiles(target = CODE_PACKAGE): Record<string, ContainerFile> {
  const files: Record<string, ContainerFile> = {};
  for (const name of readdirSync(PACKAGE_DIR)) {
    const file = path.join(PACKAGE_DIR, name);
    if (statSync(file).isFile() && !name.endsWith('.pyc')) {
      files[`${target}/${name}`] = { content: readFileSync(file), mode: statSync(file).mode & 0o777 };
    }
  }
  return files;
}

export function json(value: unknown): ContainerFile {
  return { content: JSON.stringify(value, null, 2) + '\n' };
}

/** Environment every test container gets besides what the emulator adds (endpoint, credentials). */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    SSH_SSM_ROLE: ROLE_NAME,
    SSH_OWNER_TAG: OWNER_USER_ID,
    // Tests have no internet: do not try to download the AWS CLI (the scripts use python3).
    SM_SSH_INSTALL_AWS_CLI: 'false',
    SM_SSH_RETRY_BASE_SECONDS: '0',
    ...extra,
  };
}

/** SSM's GetServiceSetting for the instance tier, which the emulator does not model; `tier()` decides. */
export function instanceTierOperations(tier: () => string): JsonOperationTable {
  return {
    GetServiceSetting: (input) => ({
      ServiceSetting: {
        SettingId: String(input.SettingId),
        SettingValue: tier(),
        Status: 'Customized',
        ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:servicesetting${String(input.SettingId)}`,
      },
    }),
  };
}

export type Tags = Record<string, string>;

export async function tagsOf(ssm: SSMClient, instanceId: string): Promise<Tags> {
  const out = await ssm.send(
    new ListTagsForResourceCommand({ ResourceType: 'ManagedInstance', ResourceId: instanceId }),
  );
  return Object.fromEntries((out.TagList ?? []).map((tag) => [tag.Key!, tag.Value!]));
}

export interface RegisteredInstance {
  readonly instanceId: string;
  readonly pingStatus: string | undefined;
  readonly iamRole: string | undefined;
  readonly tags: Tags;
}

/** Managed instances whose SSHResourceName is `name`, as a client sees them. */
export async function instancesOf(ssm: SSMClient, name: string): Promise<RegisteredInstance[]> {
  const out = await ssm.send(
    new DescribeInstanceInformationCommand({
      Filters: [{ Key: 'tag:SSHResourceName', Values: [name] }],
      MaxResults: 50,
    }),
  );
  return Promise.all(
    (out.InstanceInformationList ?? []).map(async (info) => ({
      instanceId: info.InstanceId!,
      pingStatus: info.PingStatus,
      iamRole: info.IamRole,
      tags: await tagsOf(ssm, info.InstanceId!),
    })),
  );
}

export async function activationOf(
  ssm: SSMClient,
  activationId: string,
): Promise<{ registrationLimit?: number; iamRole?: string }> {
  const out = await ssm.send(
    new DescribeActivationsCommand({
      Filters: [{ FilterKey: 'ActivationIds', FilterValues: [activationId] }],
    }),
  );
  const activation = out.ActivationList?.[0];
  return { registrationLimit: activation?.RegistrationLimit, iamRole: activation?.IamRole };
}

/** For `eventually`: a failure shows the end of the container's log. */
export function logOf(container: SimulatedContainer): EventuallyOptions {
  return { detail: () => `container log:\n${container.log().slice(-4000)}` };
}

/**
 * `work`, failing with what the container's AWS agent logged last appended to the error, so a Run
 * Command that never finishes says whether the agent saw the job.
 */
export async function withAgentLog<T>(container: SimulatedContainer, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const agentLog = await container
      .readFile('/var/log/amazon/ssm/amazon-ssm-agent.log')
      .catch((reason: unknown) => `(no agent log: ${String(reason)})`);
    if (error instanceof Error) error.message += `\nagent log (${container.id}):\n${agentLog.slice(-3000)}`;
    throw error;
  }
}

/** Lines of the container log that our scripts wrote. */
export function payloadLog(container: SimulatedContainer): string[] {
  return container
    .log()
    .split('\n')
    .filter((line) => line.startsWith('[sagemaker-ssh]'));
}

export interface SshClient {
  readonly dir: string;
  readonly publicKey: string;
  /** Runs a command over real ssh through an SSM session to the instance (sm-ssh ssm-proxy). */
  run(
    emulator: Emulator,
    instanceId: string,
    command: string,
    user?: string,
  ): Promise<{ code: number | null; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** An ed25519 key and `ssh` with the project's own SSM client as ProxyCommand. */
export async function sshClient(): Promise<SshClient> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sm-payload-ssh-'));
  const key = path.join(dir, 'id_ed25519');
  const keygen = await runHostProcess('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    'payload-e2e',
    '-f',
    key,
  ]);
  assert.equal(keygen.code, 0, keygen.stderr);
  await chmod(key, 0o600);
  const awsConfig = path.join(dir, 'aws-config');
  await writeFile(awsConfig, '');
  return {
    dir,
    publicKey: readFileSync(`${key}.pub`, 'utf8'),
    async run(emulator, instanceId, command, user = 'root') {
      const proxy = `${process.execPath} ${SM_SSH_CLI} ssm-proxy --target %h --port %p`;
      return runHostProcess(
        'ssh',
        [
          ...throwawaySshArgs(key),
          '-o',
          // INFO, not ERROR: OpenSSH reports a connection closed after the banner ("Connection closed by",
          // "Bad packet length") at INFO, and a failed run should say which.
          'LogLevel=INFO',
          '-o',
          'ConnectTimeout=30',
          '-o',
          `ProxyCommand=${proxy}`,
          '-l',
          user,
          instanceId,
          command,
        ],
        {
          env: {
            PATH: process.env.PATH,
            HOME: dir,
            AWS_CONFIG_FILE: awsConfig,
            AWS_SHARED_CREDENTIALS_FILE: awsConfig,
            AWS_EC2_METADATA_DISABLED: 'true',
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            ...emulator.env('developer'),
          },
        },
      );
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
