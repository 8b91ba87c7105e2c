import type { AppRecord, DomainRecord } from '../stores/studio';
import type { TrainingJobRecord } from '../stores/trainingJobs';
import type { ContainerFile, ContainerUser } from './sandbox';

/** What a container looks like inside, apart from the emulator plumbing (endpoint, credentials). */
export interface SageMakerContainerLayout {
  readonly hostname: string;
  readonly env: Record<string, string>;
  readonly files: Record<string, ContainerFile>;
  readonly users: ContainerUser[];
  /** The login user of the IDE (root for training jobs and Studio Classic). */
  readonly user: string;
}

export const SAGEMAKER_USER: ContainerUser = {
  name: 'sagemaker-user',
  uid: 1000,
  gid: 100,
  home: '/home/sagemaker-user',
};

function json(value: unknown): ContainerFile {
  return { content: JSON.stringify(value, null, 2) + '\n' };
}

/** Node `index` (1-based) of a training job: SageMaker's environment and /opt/ml/input/config. */
export function trainingJobLayout(job: TrainingJobRecord, index: number): SageMakerContainerLayout {
  const hosts = Array.from({ length: job.instanceCount }, (_, i) => `algo-${i + 1}`);
  const hostname = `algo-${index}`;
  const resourceConfig = {
    current_host: hostname,
    current_instance_type: job.instanceType,
    current_group_name: 'homogeneousCluster',
    hosts,
    instance_groups: [{ instance_group_name: 'homogeneousCluster', instance_type: job.instanceType, hosts }],
    network_interface_name: 'eth0',
  };
  return {
    hostname,
    user: 'root',
    users: [],
    env: {
      TRAINING_JOB_NAME: job.name,
      TRAINING_JOB_ARN: job.arn,
      SM_CURRENT_HOST: hostname,
      SM_HOSTS: JSON.stringify(hosts),
      SM_NUM_GPUS: '0',
      SM_CURRENT_INSTANCE_TYPE: job.instanceType,
      SM_INPUT_DIR: '/opt/ml/input',
      SM_INPUT_CONFIG_DIR: '/opt/ml/input/config',
      SM_OUTPUT_DIR: '/opt/ml/output',
      SM_OUTPUT_DATA_DIR: '/opt/ml/output/data',
      SM_MODEL_DIR: '/opt/ml/model',
      SM_CHANNELS: '[]',
      SM_HPS: JSON.stringify(job.hyperParameters),
      ...job.environment,
    },
    files: {
      '/opt/ml/input/config/resourceconfig.json': json(resourceConfig),
      '/opt/ml/input/config/hyperparameters.json': json(job.hyperParameters),
      '/opt/ml/input/config/inputdataconfig.json': json({}),
      '/opt/ml/output/data/.keep': { content: '' },
      '/opt/ml/model/.keep': { content: '' },
    },
  };
}

/** A Studio app: /opt/ml/metadata/resource-metadata.json, and sagemaker-user for space (JupyterLab, Code Editor) apps. */
export function appLayout(
  app: AppRecord,
  domain: DomainRecord,
  executionRoleArn: string,
): SageMakerContainerLayout {
  const inSpace = app.ownerKind === 'space';
  const metadata = {
    AppType: app.type,
    DomainId: app.domainId,
    UserProfileName: inSpace ? '' : app.owner,
    SpaceName: inSpace ? app.owner : '',
    ResourceArn: app.arn,
    ResourceName: app.name,
    AppImageVersion: '',
    ExecutionRoleArn: executionRoleArn,
  };
  return {
    hostname: app.name,
    user: inSpace ? SAGEMAKER_USER.name : 'root',
    users: inSpace ? [SAGEMAKER_USER] : [],
    env: {
      ...(inSpace ? { HOME: SAGEMAKER_USER.home, USER: SAGEMAKER_USER.name } : {}),
      SAGEMAKER_SPACE_NAME: inSpace ? app.owner : '',
      SAGEMAKER_APP_TYPE: app.type,
      STUDIO_DOMAIN_ID: domain.id,
    },
    files: { '/opt/ml/metadata/resource-metadata.json': json(metadata) },
  };
}

function pamEnvValue(value: string): string {
  if (/^[^\s'"\\$`]*$/.test(value)) return value;
  return value.includes("'") ? `"${value.replace(/["\\]/g, '\\$&')}"` : `'${value}'`;
}

/**
 * What upstream's sm-save-env writes: the bootstrap's environment as /etc/environment (read by
 * pam_env for every SSH session), with START_SSH=false so re-running the training script over
 * SSH does not bootstrap again.
 */
export function savedEnvironment(env: Readonly<Record<string, string>>): string {
  const lines = Object.entries({ ...env, START_SSH: 'false' })
    .filter(
      ([name]) =>
        /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !['HOME', 'HOSTNAME', 'USER', 'PWD'].includes(name),
    )
    .map(([name, value]) => `${name}=${pamEnvValue(value.replace(/\n/g, ' '))}`);
  return lines.join('\n') + '\n';
}
