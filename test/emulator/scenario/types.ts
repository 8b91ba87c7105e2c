/**
 * The scenario file format (documented field by field in test/emulator/README.md).
 *
 * `ScenarioOf<string>` is what a JSON file contains (times as ISO strings or relative offsets like
 * "-2h"); `Scenario` is the validated form, with times resolved to Dates and top-level defaults
 * applied. Everything else is defaulted when the scenario is materialized into state.
 */

import type { PayloadResourcesOf } from './payloadResources';

export const TRAINING_JOB_STATUSES = [
  'InProgress',
  'Completed',
  'Failed',
  'Stopping',
  'Stopped',
  'Deleting',
] as const;
export type TrainingJobStatus = (typeof TRAINING_JOB_STATUSES)[number];

export const SECONDARY_STATUSES = [
  'Starting',
  'LaunchingMLInstances',
  'PreparingTrainingStack',
  'Downloading',
  'DownloadingTrainingImage',
  'Training',
  'Uploading',
  'Stopping',
  'Stopped',
  'MaxRuntimeExceeded',
  'MaxWaitTimeExceeded',
  'Completed',
  'Failed',
  'Interrupted',
  'Restarting',
  'Pending',
  'Updating',
] as const;
export type SecondaryStatus = (typeof SECONDARY_STATUSES)[number];

export const WARM_POOL_STATUSES = ['Available', 'Terminated', 'Reused', 'InUse'] as const;
export type WarmPoolStatus = (typeof WARM_POOL_STATUSES)[number];

export const STUDIO_RESOURCE_STATUSES = [
  'Deleting',
  'Failed',
  'InService',
  'Pending',
  'Updating',
  'Update_Failed',
  'Delete_Failed',
] as const;
export type StudioResourceStatus = (typeof STUDIO_RESOURCE_STATUSES)[number];

export const APP_STATUSES = ['Deleted', 'Deleting', 'Failed', 'InService', 'Pending'] as const;
export type AppStatus = (typeof APP_STATUSES)[number];

/** Studio Classic apps belong to a user profile; Studio (new) IDE apps belong to a space. */
export const USER_PROFILE_APP_TYPES = ['KernelGateway', 'JupyterServer'] as const;
export const SPACE_APP_TYPES = ['JupyterLab', 'CodeEditor'] as const;
export type UserProfileAppType = (typeof USER_PROFILE_APP_TYPES)[number];
export type SpaceAppType = (typeof SPACE_APP_TYPES)[number];
export type AppType = UserProfileAppType | SpaceAppType;

export const CLUSTER_STATUSES = [
  'Creating',
  'Deleting',
  'Failed',
  'InService',
  'RollingBack',
  'SystemUpdating',
  'Updating',
] as const;
export type ClusterStatus = (typeof CLUSTER_STATUSES)[number];

export const INSTANCE_GROUP_STATUSES = [
  'Creating',
  'Degraded',
  'Deleting',
  'Failed',
  'InService',
  'SystemUpdating',
  'Updating',
] as const;
export type InstanceGroupStatus = (typeof INSTANCE_GROUP_STATUSES)[number];

export const CLUSTER_INSTANCE_STATUSES = [
  'DeepHealthCheckInProgress',
  'Failure',
  'NotFound',
  'Pending',
  'Running',
  'ShuttingDown',
  'SystemUpdating',
] as const;
export type ClusterInstanceStatus = (typeof CLUSTER_INSTANCE_STATUSES)[number];

export const PING_STATUSES = ['Online', 'ConnectionLost', 'Inactive'] as const;
export type PingStatus = (typeof PING_STATUSES)[number];

export const PLATFORM_TYPES = ['Linux', 'Windows', 'MacOS'] as const;
export type PlatformType = (typeof PLATFORM_TYPES)[number];

export type Tags = Record<string, string>;

/** `"ssm:SendCommand"`, `"sagemaker:List*"`, or scoped to resources: `{ action, resource }`. */
export type DenyRule = string | { readonly action: string; readonly resource?: string };

export interface IdentitySpec {
  /** Short handle for tests and `env(name)`; defaults to the last segment of the ARN. */
  readonly name?: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** When set, requests must carry it as X-Amz-Security-Token (temporary credentials). */
  readonly sessionToken?: string;
  readonly arn: string;
  readonly userId: string;
  readonly deny?: readonly DenyRule[];
  readonly expired?: boolean;
}

/**
 * A training job or Studio app whose container runs SSH: the emulator starts a simulated container
 * per node when it starts (see README.md, "Simulated containers").
 */
export interface SshDeclarationSpec {
  /** Training jobs only: how many nodes (algo-1 … algo-N) get a container; default 1, at most instanceCount. */
  readonly nodes?: number;
  /** The SSHOwner tag; default SSH_OWNER_TAG of the job's environment, else the first identity's userId. */
  readonly owner?: string;
  /** Built-in bootstrap only: Online (agent running, default) or ConnectionLost (registered, agent not running). */
  readonly pingStatus?: 'Online' | 'ConnectionLost';
  /**
   * A script on the host, run in each container instead of the built-in bootstrap (copied to
   * /opt/ml/code and executed there). A training job completes when it exits 0 on every node, and
   * fails otherwise. Relative paths resolve against the scenario file's folder.
   */
  readonly entry?: string;
  /** A host folder copied to /opt/ml/code before the entry runs (like a job's source_dir). */
  readonly sourceDir?: string;
  /**
   * `aws`: AWS's amazon-ssm-agent from shared/peers runs in the container; `stand-in`: the emulator's
   * own agent. Default: `aws`, or `$SM_EMULATOR_AGENT`.
   */
  readonly agent?: 'aws' | 'stand-in';
}

export type AppSshDeclarationSpec = Omit<SshDeclarationSpec, 'nodes'>;

/**
 * A training job's SageMaker-native Session Manager access (RemoteDebugConfig): one container per
 * node (algo-1 … algo-N), no payload; with `enabled`, SageMaker's own agent runs in each and answers
 * `sagemaker-training-job:<job>_algo-<N>` (see README.md, "Native containers").
 */
export interface RemoteDebugSpec {
  /** RemoteDebugConfig.EnableRemoteDebug; false: the containers run without the agent until UpdateTrainingJob enables it. Default true. */
  readonly enabled?: boolean;
  /** How many nodes get a container; default the job's instanceCount. */
  readonly nodes?: number;
  /** Whether the image has an sshd binary (default true; it is never started for you). */
  readonly sshd?: boolean;
}

export interface SecondaryStatusTransitionSpec<T> {
  readonly status: SecondaryStatus;
  readonly startTime: T;
  readonly endTime?: T;
  readonly statusMessage?: string;
}

export interface TrainingJobSpec<T> {
  readonly name: string;
  readonly status: TrainingJobStatus;
  readonly secondaryStatus?: SecondaryStatus;
  readonly creationTime?: T;
  readonly trainingStartTime?: T;
  readonly trainingEndTime?: T;
  readonly lastModifiedTime?: T;
  readonly instanceType?: string;
  readonly instanceCount?: number;
  readonly volumeSizeInGB?: number;
  readonly failureReason?: string;
  readonly environment?: Tags;
  readonly hyperParameters?: Tags;
  readonly roleArn?: string;
  readonly trainingImage?: string;
  readonly maxRuntimeInSeconds?: number;
  readonly tags?: Tags;
  readonly warmPoolStatus?: WarmPoolStatus;
  readonly trainingPlanArn?: string;
  readonly secondaryStatusTransitions?: readonly SecondaryStatusTransitionSpec<T>[];
  readonly ssh?: SshDeclarationSpec;
  readonly remoteDebug?: RemoteDebugSpec;
  /** A built-in algorithm's name (AlgorithmSpecification.AlgorithmName), e.g. `xgboost`. */
  readonly algorithmName?: string;
  /** RemoteDebugConfig without containers (the tree only): `remoteDebug` also starts them. */
  readonly remoteDebugEnabled?: boolean;
}

export interface AppSpec<T, TType extends AppType = AppType> {
  readonly type: TType;
  readonly name: string;
  readonly status?: AppStatus;
  readonly creationTime?: T;
  readonly instanceType?: string;
  readonly imageArn?: string;
  readonly failureReason?: string;
  readonly ssh?: AppSshDeclarationSpec;
}

export interface UserProfileSpec<T> {
  readonly name: string;
  readonly status?: StudioResourceStatus;
  readonly creationTime?: T;
  readonly executionRole?: string;
  readonly apps?: readonly AppSpec<T, UserProfileAppType>[];
}

export interface SpaceSpec<T> {
  readonly name: string;
  readonly status?: StudioResourceStatus;
  readonly creationTime?: T;
  readonly ownerUserProfile?: string;
  readonly sharingType?: 'Private' | 'Shared';
  readonly appType?: SpaceAppType;
  readonly remoteAccess?: 'ENABLED' | 'DISABLED';
  readonly displayName?: string;
  readonly apps?: readonly AppSpec<T, SpaceAppType>[];
}

export interface DomainSpec<T> {
  readonly id: string;
  readonly name: string;
  readonly status?: StudioResourceStatus;
  readonly creationTime?: T;
  readonly executionRole?: string;
  readonly userProfiles?: readonly UserProfileSpec<T>[];
  readonly spaces?: readonly SpaceSpec<T>[];
}

/** One node of a HyperPod instance group; every field has a default. */
export interface ClusterNodeSpec<T> {
  /** EC2 instance id, `i-` + 17 hex digits. */
  readonly id?: string;
  readonly status?: ClusterInstanceStatus;
  readonly message?: string;
  readonly launchTime?: T;
  /**
   * Run a simulated container for this node, reachable as `sagemaker-cluster:<id>_<group>-<instance>`
   * (AWS's agent, sshd on port 22, login user ubuntu). Default: false.
   */
  readonly container?: boolean;
}

export interface InstanceGroupSpec<T> {
  readonly name: string;
  readonly instanceType?: string;
  readonly status?: InstanceGroupStatus;
  readonly executionRole?: string;
  /** Nodes beyond those listed in `nodes` (defaults for every field). Default: 0 when `nodes` is set, else 1. */
  readonly instanceCount?: number;
  readonly nodes?: readonly ClusterNodeSpec<T>[];
}

export interface ClusterSpec<T> {
  readonly name: string;
  /** The ARN's last segment: 12 lowercase letters and digits; derived from the name by default. */
  readonly id?: string;
  readonly status?: ClusterStatus;
  readonly creationTime?: T;
  readonly failureMessage?: string;
  readonly orchestrator?: 'Slurm' | 'Eks';
  readonly instanceGroups?: readonly InstanceGroupSpec<T>[];
}

export interface ManagedInstanceSpec<T> {
  readonly id?: string;
  readonly tags?: Tags;
  readonly pingStatus?: PingStatus;
  readonly lastPing?: T;
  readonly computerName?: string;
  readonly platformType?: PlatformType;
  readonly platformName?: string;
  readonly platformVersion?: string;
  readonly agentVersion?: string;
  readonly ipAddress?: string;
  readonly registrationDate?: T;
  readonly activationId?: string;
  readonly iamRole?: string;
  readonly name?: string;
  readonly associationStatus?: string;
}

export interface ActivationSpec<T> {
  readonly id?: string;
  readonly code?: string;
  readonly iamRole: string;
  readonly registrationLimit?: number;
  readonly registrationsCount?: number;
  readonly description?: string;
  readonly defaultInstanceName?: string;
  readonly createdDate?: T;
  readonly expirationDate?: T;
  readonly tags?: Tags;
}

export interface S3ObjectSpec<T> {
  readonly key: string;
  readonly body?: string;
  readonly bodyBase64?: string;
  readonly contentType?: string;
  readonly lastModified?: T;
  readonly metadata?: Tags;
}

export interface BucketSpec<T> {
  readonly name: string;
  readonly region?: string;
  readonly creationDate?: T;
  readonly objects?: readonly S3ObjectSpec<T>[];
}

export interface FaultErrorSpec {
  readonly code: string;
  readonly message?: string;
  readonly status?: number;
}

/** Exactly one of `nth`, `first`, `every` selects the calls; `every` is the default. */
export interface FaultSpec {
  readonly service: string;
  readonly operation: string;
  readonly nth?: number;
  readonly first?: number;
  readonly every?: boolean;
  readonly error?: FaultErrorSpec;
  readonly latencyMs?: number;
}

export interface ScenarioOptions {
  /** Verify SigV4 signatures against the identity's secret (default true). */
  readonly verifySignatures?: boolean;
  /** Reject SageMaker/SSM/STS requests signed for another region (default true). */
  readonly enforceRegion?: boolean;
  /** How long a stopped training job stays in Stopping before it is Stopped (default 2000 ms). */
  readonly stopDelayMs?: number;
  /**
   * Run the apps of spaces with remote access as simulated containers (SpaceContainers): CreateApp
   * starts one, sagemaker:StartSession reaches its sshd. Default false (apps only change status).
   */
  readonly spaceContainers?: boolean;
}

export interface ScenarioOf<T> {
  readonly description?: string;
  readonly account?: string;
  readonly region?: string;
  readonly partition?: string;
  readonly identities?: readonly IdentitySpec[];
  readonly latencyMs?: number;
  readonly options?: ScenarioOptions;
  readonly sagemaker?: {
    readonly trainingJobs?: readonly TrainingJobSpec<T>[];
    readonly domains?: readonly DomainSpec<T>[];
    readonly clusters?: readonly ClusterSpec<T>[];
  } & PayloadResourcesOf<T>;
  readonly ssm?: {
    readonly instances?: readonly ManagedInstanceSpec<T>[];
    readonly activations?: readonly ActivationSpec<T>[];
  };
  readonly s3?: {
    readonly buckets?: readonly BucketSpec<T>[];
  };
  readonly faults?: readonly FaultSpec[];
}

/** What a scenario JSON file holds. */
export type ScenarioDocument = ScenarioOf<string>;

/** A validated scenario: times resolved against the emulator's start, top-level defaults applied. */
export interface Scenario extends Omit<ScenarioOf<Date>, 'account' | 'region' | 'partition' | 'identities'> {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly identities: readonly IdentitySpec[];
}

export const DEFAULT_ACCOUNT = '123456789012';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_PARTITION = 'aws';
