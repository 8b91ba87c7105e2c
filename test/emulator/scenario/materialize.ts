import type { Clock } from '../clock';
import { derivedHex } from '../ids';
import { DEFAULT_STATE_OPTIONS, EmulatorState } from '../state';
import { newObjectRecord } from '../stores/buckets';
import { DEFAULT_AGENT_VERSION } from '../stores/instances';
import type { AppOwnerKind, DomainRecord } from '../stores/studio';
import type { TrainingJobRecord } from '../stores/trainingJobs';
import { addPayloadResources } from './payloadResources';
import { buildTimeline, defaultSecondaryStatus, reachedTraining } from './jobTimeline';
import type {
  ActivationSpec,
  AppSpec,
  BucketSpec,
  ClusterNodeSpec,
  ClusterSpec,
  DomainSpec,
  ManagedInstanceSpec,
  Scenario,
  TrainingJobSpec,
} from './types';

export const DEFAULT_TRAINING_INSTANCE_TYPE = 'ml.m5.xlarge';
const HOUR = 3_600_000;

/** Builds the emulator state a validated scenario describes, filling every default. */
export function buildState(scenario: Scenario, clock: Clock): EmulatorState {
  const state = new EmulatorState(
    scenario.account,
    scenario.region,
    scenario.partition,
    clock,
    scenario.identities,
    {
      verifySignatures: scenario.options?.verifySignatures ?? DEFAULT_STATE_OPTIONS.verifySignatures,
      enforceRegion: scenario.options?.enforceRegion ?? DEFAULT_STATE_OPTIONS.enforceRegion,
      stopDelayMs: scenario.options?.stopDelayMs ?? DEFAULT_STATE_OPTIONS.stopDelayMs,
    },
  );
  for (const job of scenario.sagemaker?.trainingJobs ?? [])
    state.trainingJobs.add(trainingJobRecord(state, job));
  for (const domain of scenario.sagemaker?.domains ?? []) addDomain(state, domain);
  addPayloadResources(state, scenario.sagemaker);
  for (const cluster of scenario.sagemaker?.clusters ?? []) addCluster(state, cluster);
  for (const activation of scenario.ssm?.activations ?? []) addActivation(state, activation);
  (scenario.ssm?.instances ?? []).forEach((instance, index) => addInstance(state, instance, index));
  for (const bucket of scenario.s3?.buckets ?? []) addBucket(state, bucket);
  return state;
}

export function trainingJobRecord(state: EmulatorState, spec: TrainingJobSpec<Date>): TrainingJobRecord {
  const now = state.now();
  const creationTime = spec.creationTime ?? state.clock.start;
  const secondaryStatus = spec.secondaryStatus ?? defaultSecondaryStatus(spec.status);
  const ended = ['Completed', 'Failed', 'Stopped', 'Deleting'].includes(spec.status);
  const trainingStartTime =
    spec.trainingStartTime ??
    (reachedTraining(secondaryStatus)
      ? earliest(new Date(creationTime.getTime() + 4 * 60_000), now)
      : undefined);
  const trainingEndTime = ended
    ? (spec.trainingEndTime ??
      spec.lastModifiedTime ??
      earliest(new Date((trainingStartTime ?? creationTime).getTime() + HOUR), now))
    : undefined;
  const transitions =
    spec.secondaryStatusTransitions?.map((transition) => ({ ...transition })) ??
    buildTimeline({ secondaryStatus, creationTime, trainingStartTime, trainingEndTime, now });
  const lastTransition = transitions[transitions.length - 1];
  return {
    name: spec.name,
    arn: state.arns.trainingJob(spec.name),
    status: spec.status,
    secondaryStatus,
    failureReason:
      spec.failureReason ??
      (spec.status === 'Failed' ? 'AlgorithmError: training script exited with code 1' : undefined),
    creationTime,
    trainingStartTime,
    trainingEndTime,
    lastModifiedTime: spec.lastModifiedTime ?? trainingEndTime ?? lastTransition?.startTime ?? creationTime,
    transitions,
    instanceType: spec.instanceType ?? DEFAULT_TRAINING_INSTANCE_TYPE,
    instanceCount: spec.instanceCount ?? 1,
    volumeSizeInGB: spec.volumeSizeInGB ?? 30,
    roleArn: spec.roleArn ?? state.arns.role('SageMakerExecutionRole'),
    trainingImage:
      spec.trainingImage ??
      `763104351884.dkr.ecr.${state.region}.amazonaws.com/pytorch-training:2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker`,
    maxRuntimeInSeconds: spec.maxRuntimeInSeconds ?? 86_400,
    environment: { ...spec.environment },
    hyperParameters: { ...spec.hyperParameters },
    tags: { ...spec.tags },
    warmPoolStatus: spec.warmPoolStatus,
    trainingPlanArn: spec.trainingPlanArn,
    ...(spec.remoteDebug ? { remoteDebugEnabled: spec.remoteDebug.enabled ?? true } : {}),
    ...(spec.remoteDebugEnabled !== undefined && !spec.remoteDebug
      ? { remoteDebugEnabled: spec.remoteDebugEnabled }
      : {}),
    ...(spec.algorithmName ? { algorithmName: spec.algorithmName } : {}),
    outputPath: `s3://sagemaker-${state.region}-${state.account}/`,
  };
}

function earliest(a: Date, b: Date): Date {
  return a < b ? a : b;
}

function addDomain(state: EmulatorState, spec: DomainSpec<Date>): void {
  const creationTime = spec.creationTime ?? new Date(state.clock.start.getTime() - 30 * 24 * HOUR);
  const domain: DomainRecord = {
    id: spec.id,
    name: spec.name,
    arn: state.arns.domain(spec.id),
    status: spec.status ?? 'InService',
    creationTime,
    lastModifiedTime: creationTime,
    executionRole: spec.executionRole ?? state.arns.role('SageMakerExecutionRole'),
    url: `https://${spec.id}.studio.${state.region}.sagemaker.aws`,
    homeEfsFileSystemId: 'fs-' + derivedHex(spec.id, 17),
    vpcId: 'vpc-' + derivedHex(spec.id + '/vpc', 17),
    subnetIds: ['subnet-' + derivedHex(spec.id + '/subnet', 17)],
  };
  state.studio.addDomain(domain);
  let uid = 200000;
  for (const profile of spec.userProfiles ?? []) {
    const created = profile.creationTime ?? creationTime;
    state.studio.addUserProfile({
      domainId: spec.id,
      name: profile.name,
      arn: state.arns.userProfile(spec.id, profile.name),
      status: profile.status ?? 'InService',
      creationTime: created,
      lastModifiedTime: created,
      executionRole: profile.executionRole,
      homeEfsFileSystemUid: String(uid++),
    });
    for (const app of profile.apps ?? []) addApp(state, domain, 'userProfile', profile.name, app, created);
  }
  for (const space of spec.spaces ?? []) {
    const created = space.creationTime ?? creationTime;
    state.studio.addSpace({
      domainId: spec.id,
      name: space.name,
      arn: state.arns.space(spec.id, space.name),
      status: space.status ?? 'InService',
      creationTime: created,
      lastModifiedTime: created,
      ownerUserProfile: space.ownerUserProfile,
      sharingType: space.sharingType ?? (space.ownerUserProfile ? 'Private' : 'Shared'),
      appType: space.appType ?? space.apps?.[0]?.type,
      remoteAccess: space.remoteAccess,
      defaultInstanceType: space.apps?.[0]?.instanceType,
      displayName: space.displayName,
      url: `https://${derivedHex(spec.id + space.name, 16)}.studio.${state.region}.sagemaker.aws/${space.name}`,
      homeEfsFileSystemUid: String(uid++),
    });
    for (const app of space.apps ?? []) addApp(state, domain, 'space', space.name, app, created);
  }
}

/** Cluster ids are 12 lowercase letters and digits (the ARN's last segment). */
export function derivedClusterId(name: string): string {
  return BigInt('0x' + derivedHex(`cluster/${name}`, 16))
    .toString(36)
    .padStart(12, '0')
    .slice(-12);
}

function addCluster(state: EmulatorState, spec: ClusterSpec<Date>): void {
  const creationTime = spec.creationTime ?? new Date(state.clock.start.getTime() - 24 * HOUR);
  const id = spec.id ?? derivedClusterId(spec.name);
  const groups = spec.instanceGroups ?? [];
  const nodes = groups.flatMap((group) => {
    const listed = group.nodes ?? [];
    const extra = group.instanceCount ?? (listed.length > 0 ? 0 : 1);
    const specs: ClusterNodeSpec<Date>[] = [...listed, ...Array.from({ length: extra }, () => ({}))];
    return specs.map((node, index) => {
      const instanceId = node.id ?? 'i-' + derivedHex(`${id}/${group.name}/${index}`, 17);
      const octets = Buffer.from(derivedHex(instanceId, 4), 'hex');
      return {
        instanceId,
        instanceGroupName: group.name,
        instanceType: group.instanceType ?? 'ml.m5.xlarge',
        launchTime: node.launchTime ?? new Date(creationTime.getTime() + 10 * 60_000),
        status: node.status ?? 'Running',
        message: node.message,
        privateIp: `10.1.${octets[0]}.${octets[1]}`,
        container: node.container ?? false,
      };
    });
  });
  state.clusters.add({
    name: spec.name,
    id,
    arn: state.arns.cluster(id),
    status: spec.status ?? 'InService',
    creationTime,
    failureMessage: spec.failureMessage,
    orchestrator: spec.orchestrator ?? 'Slurm',
    instanceGroups: groups.map((group) => ({
      name: group.name,
      instanceType: group.instanceType ?? 'ml.m5.xlarge',
      executionRole: group.executionRole ?? state.arns.role('SageMakerHyperPodRole'),
      status: group.status ?? 'InService',
      targetCount: nodes.filter((node) => node.instanceGroupName === group.name).length,
      lifeCycleConfig: {
        sourceS3Uri: `s3://sagemaker-lifecycle-${state.account}/`,
        onCreate: 'on_create.sh',
      },
    })),
    nodes,
  });
}

const APP_DEFAULT_INSTANCE: Record<string, string> = {
  KernelGateway: 'ml.t3.medium',
  JupyterServer: 'system',
  JupyterLab: 'ml.t3.medium',
  CodeEditor: 'ml.t3.medium',
};

function addApp(
  state: EmulatorState,
  domain: DomainRecord,
  ownerKind: AppOwnerKind,
  owner: string,
  spec: AppSpec<Date>,
  ownerCreated: Date,
): void {
  const status = spec.status ?? 'InService';
  const creationTime = spec.creationTime ?? ownerCreated;
  state.studio.addApp({
    domainId: domain.id,
    ownerKind,
    owner,
    type: spec.type,
    name: spec.name,
    arn: state.arns.app(domain.id, owner, spec.type, spec.name),
    status,
    creationTime,
    lastHealthCheckTimestamp: status === 'InService' ? state.clock.start : undefined,
    lastUserActivityTimestamp: status === 'InService' ? state.clock.start : undefined,
    instanceType: spec.instanceType ?? APP_DEFAULT_INSTANCE[spec.type] ?? 'ml.t3.medium',
    imageArn: spec.imageArn ?? defaultImageArn(state, spec.type),
    failureReason: spec.failureReason,
  });
}

function defaultImageArn(state: EmulatorState, type: string): string {
  const image =
    type === 'KernelGateway'
      ? 'datascience-1.0'
      : type === 'JupyterServer'
        ? 'jupyter-server-3'
        : 'sagemaker-distribution-cpu';
  return `arn:${state.partition}:sagemaker:${state.region}:081325390199:image/${image}`;
}

function addActivation(state: EmulatorState, spec: ActivationSpec<Date>): void {
  const createdDate = spec.createdDate ?? state.clock.start;
  const seed = `activation/${spec.iamRole}/${createdDate.toISOString()}/${state.activations.all().length}`;
  state.activations.add({
    id: spec.id ?? uuidFrom(seed),
    code: spec.code ?? Buffer.from(derivedHex(seed + '/code', 30), 'hex').toString('base64'),
    iamRole: spec.iamRole,
    registrationLimit: spec.registrationLimit ?? 1,
    registrationsCount: spec.registrationsCount ?? 0,
    description: spec.description,
    defaultInstanceName: spec.defaultInstanceName,
    createdDate,
    expirationDate: spec.expirationDate ?? new Date(createdDate.getTime() + 24 * HOUR),
    tags: new Map(Object.entries(spec.tags ?? {})),
  });
}

function uuidFrom(seed: string): string {
  const hex = derivedHex(seed, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A hybrid managed instance only exists through an activation, and carries that activation's tags.
 * A scenario instance without `activationId` gets the activation it must have registered with.
 */
function activationFor(
  state: EmulatorState,
  spec: ManagedInstanceSpec<Date>,
  id: string,
  registered: Date,
): string {
  if (spec.activationId) {
    return spec.activationId;
  }
  const activationId = uuidFrom(`registration/${id}`);
  addActivation(state, {
    id: activationId,
    iamRole: spec.iamRole ?? 'SageMakerExecutionRole',
    registrationLimit: 1,
    registrationsCount: 1,
    createdDate: registered,
    tags: spec.tags,
  });
  return activationId;
}

function addInstance(state: EmulatorState, spec: ManagedInstanceSpec<Date>, index: number): void {
  const id = spec.id ?? 'mi-' + derivedHex(`instance/${index}/${JSON.stringify(spec.tags ?? {})}`, 17);
  const lastPing = spec.lastPing ?? state.clock.start;
  const octets = Buffer.from(derivedHex(id, 4), 'hex');
  const registrationDate = spec.registrationDate ?? earliest(new Date(lastPing.getTime() - HOUR), lastPing);
  state.instances.add({
    id,
    pingStatus: spec.pingStatus ?? 'Online',
    lastPingDateTime: lastPing,
    agentVersion: spec.agentVersion ?? DEFAULT_AGENT_VERSION,
    platformType: spec.platformType ?? 'Linux',
    platformName: spec.platformName ?? 'Ubuntu',
    platformVersion: spec.platformVersion ?? '22.04',
    computerName: spec.computerName ?? spec.tags?.SSHHost ?? `ip-10-0-${octets[0]}-${octets[1]}`,
    ipAddress: spec.ipAddress ?? `10.0.${octets[0]}.${octets[1]}`,
    registrationDate,
    activationId: activationFor(state, spec, id, registrationDate),
    iamRole: spec.iamRole ?? 'SageMakerExecutionRole',
    name: spec.name ?? '',
    associationStatus: spec.associationStatus,
    tags: new Map(Object.entries(spec.tags ?? {})),
  });
}

function addBucket(state: EmulatorState, spec: BucketSpec<Date>): void {
  const bucket = state.s3.create(
    spec.name,
    spec.region ?? state.region,
    spec.creationDate ?? state.clock.start,
  );
  for (const object of spec.objects ?? []) {
    const body =
      object.bodyBase64 !== undefined
        ? Buffer.from(object.bodyBase64, 'base64')
        : Buffer.from(object.body ?? '', 'utf8');
    state.s3.put(
      bucket,
      newObjectRecord(object.key, body, {
        contentType: object.contentType,
        lastModified: object.lastModified ?? state.clock.start,
        metadata: object.metadata,
      }),
    );
  }
}
