import {
  array,
  boolean,
  either,
  integer,
  object,
  oneOf,
  optional,
  record,
  refine,
  required,
  string,
  type Validator,
} from './validate';
import { parseScenarioTime, time } from './time';
import { payloadResourceFields } from './payloadResources';
import {
  APP_STATUSES,
  CLUSTER_INSTANCE_STATUSES,
  CLUSTER_STATUSES,
  INSTANCE_GROUP_STATUSES,
  PING_STATUSES,
  PLATFORM_TYPES,
  SECONDARY_STATUSES,
  SPACE_APP_TYPES,
  STUDIO_RESOURCE_STATUSES,
  TRAINING_JOB_STATUSES,
  USER_PROFILE_APP_TYPES,
  WARM_POOL_STATUSES,
  type AppType,
  type FaultSpec,
  type ScenarioOf,
} from './types';

const NAME_63 = {
  pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
  patternHint: '1-63 letters, digits or hyphens',
};

export const patterns = {
  account: { pattern: /^\d{12}$/, patternHint: 'a 12-digit account id' },
  region: { pattern: /^[a-z]{2}(-[a-z]+)+-\d+$/, patternHint: 'a region code like us-east-1' },
  partition: { pattern: /^aws(-[a-z]+)*$/, patternHint: 'a partition like aws, aws-cn, aws-us-gov' },
  accessKeyId: { pattern: /^[A-Za-z0-9]{4,128}$/, patternHint: '4-128 letters or digits' },
  principalArn: {
    pattern: /^arn:aws[a-z-]*:(iam|sts)::\d{12}:.+$/,
    patternHint: 'an IAM or STS principal ARN (arn:aws:iam::123456789012:user/name)',
  },
  trainingJobName: NAME_63,
  studioName: NAME_63,
  domainId: { pattern: /^d-[a-z0-9]{1,61}$/, patternHint: 'a domain id like d-abcdef123456' },
  instanceId: { pattern: /^mi-[0-9a-f]{17}$/, patternHint: '"mi-" followed by 17 lowercase hex digits' },
  clusterId: { pattern: /^[a-z0-9]{12}$/, patternHint: '12 lowercase letters or digits' },
  ec2InstanceId: { pattern: /^i-[0-9a-f]{17}$/, patternHint: '"i-" followed by 17 lowercase hex digits' },
  bucket: {
    pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    patternHint: '3-63 lowercase letters, digits, dots or hyphens',
  },
  mlInstanceType: {
    pattern: /^ml\.[a-z0-9-]+\.[a-z0-9]+$/,
    patternHint: 'an ML instance type like ml.g5.2xlarge',
  },
  service: { pattern: /^(\*|[a-z0-9-]+)$/, patternHint: 'a lowercase service name like ssm, or *' },
} as const;

const stringMap = record(string({ max: 256 }));

const EPOCH_MACRO = /^\{\{epoch ([^}]+)\}\}$/;

/**
 * Tag values may be `{{epoch <time>}}` (e.g. `{{epoch -2h}}`), replaced by that time in epoch
 * seconds, so SSHTimestamp tags stay consistent with relative registration times.
 */
function tagValue(anchor: Date): Validator<string> {
  const plain = string({ max: 256 });
  return (value, path, problems) => {
    const text = plain(value, path, problems);
    const macro = text === undefined ? null : EPOCH_MACRO.exec(text);
    if (!macro) return text;
    const at = parseScenarioTime(macro[1]!.trim(), anchor);
    if (!at)
      return problems.report(
        path,
        `${JSON.stringify(text)}: "${macro[1]}" is not a scenario time (e.g. -2h)`,
      );
    return String(Math.floor(at.getTime() / 1000));
  };
}

const denyRule = either(
  string({ min: 1 }),
  object({ action: required(string({ min: 1 })), resource: optional(string({ min: 1 })) }),
  'an action pattern string like "ssm:SendCommand" or { "action": ..., "resource": ... }',
);

const identity = object({
  name: optional(string({ min: 1 })),
  accessKeyId: required(string(patterns.accessKeyId)),
  secretAccessKey: required(string({ min: 1 })),
  sessionToken: optional(string({ min: 1 })),
  arn: required(string(patterns.principalArn)),
  userId: required(string({ min: 1 })),
  deny: optional(array(denyRule)),
  expired: optional(boolean()),
});

function fault(): Validator<FaultSpec> {
  const base = object({
    service: required(string(patterns.service)),
    operation: required(string({ min: 1 })),
    nth: optional(integer({ min: 1 })),
    first: optional(integer({ min: 1 })),
    every: optional(boolean()),
    error: optional(
      object({
        code: required(string({ min: 1 })),
        message: optional(string()),
        status: optional(integer({ min: 400, max: 599 })),
      }),
    ),
    latencyMs: optional(integer({ min: 0, max: 600_000 })),
  });
  return refine(base, (spec) => {
    const selectors = [spec.nth, spec.first, spec.every].filter((selector) => selector !== undefined);
    if (selectors.length > 1) return 'use only one of "nth", "first", "every"';
    if (!spec.error && spec.latencyMs === undefined) return 'needs an "error", a "latencyMs", or both';
    return undefined;
  });
}

const sshFields = {
  owner: optional(string({ min: 1, max: 256 })),
  pingStatus: optional(oneOf(['Online', 'ConnectionLost'] as const)),
  entry: optional(string({ min: 1 })),
  sourceDir: optional(string({ min: 1 })),
  agent: optional(oneOf(['aws', 'stand-in'] as const)),
};

function noPingStatusWithEntry(spec: { entry?: string; pingStatus?: string }): string | undefined {
  return spec.entry !== undefined && spec.pingStatus !== undefined
    ? '"pingStatus" applies to the built-in bootstrap only; with "entry" the script registers the agent'
    : undefined;
}

const jobSsh = refine(
  object({ nodes: optional(integer({ min: 1, max: 16 })), ...sshFields }),
  noPingStatusWithEntry,
);
const appSsh = refine(object(sshFields), noPingStatusWithEntry);

function apps<T extends AppType>(types: readonly T[], at: Validator<Date>) {
  return array(
    object({
      type: required(oneOf(types)),
      name: required(string(patterns.studioName)),
      status: optional(oneOf(APP_STATUSES)),
      creationTime: optional(at),
      instanceType: optional(string({ min: 1 })),
      imageArn: optional(string({ min: 1 })),
      failureReason: optional(string()),
      ssh: optional(appSsh),
    }),
  );
}

/** The validator for a whole scenario document; relative times resolve against `anchor`. */
export function scenarioValidator(anchor: Date): Validator<ScenarioOf<Date>> {
  const at = time(anchor);
  const tags = record(tagValue(anchor));
  const trainingJob = object({
    name: required(string(patterns.trainingJobName)),
    status: required(oneOf(TRAINING_JOB_STATUSES)),
    secondaryStatus: optional(oneOf(SECONDARY_STATUSES)),
    creationTime: optional(at),
    trainingStartTime: optional(at),
    trainingEndTime: optional(at),
    lastModifiedTime: optional(at),
    instanceType: optional(string(patterns.mlInstanceType)),
    instanceCount: optional(integer({ min: 1, max: 1000 })),
    volumeSizeInGB: optional(integer({ min: 1, max: 16384 })),
    failureReason: optional(string({ max: 1024 })),
    environment: optional(stringMap),
    hyperParameters: optional(stringMap),
    roleArn: optional(string({ min: 20 })),
    trainingImage: optional(string({ min: 1 })),
    maxRuntimeInSeconds: optional(integer({ min: 1 })),
    tags: optional(tags),
    warmPoolStatus: optional(oneOf(WARM_POOL_STATUSES)),
    trainingPlanArn: optional(string({ min: 1 })),
    secondaryStatusTransitions: optional(
      array(
        object({
          status: required(oneOf(SECONDARY_STATUSES)),
          startTime: required(at),
          endTime: optional(at),
          statusMessage: optional(string()),
        }),
      ),
    ),
    ssh: optional(jobSsh),
    algorithmName: optional(string({ min: 1, max: 170 })),
    remoteDebugEnabled: optional(boolean()),
    remoteDebug: optional(
      object({
        enabled: optional(boolean()),
        nodes: optional(integer({ min: 1, max: 16 })),
        sshd: optional(boolean()),
      }),
    ),
  });
  const domain = object({
    id: required(string(patterns.domainId)),
    name: required(string(patterns.studioName)),
    status: optional(oneOf(STUDIO_RESOURCE_STATUSES)),
    creationTime: optional(at),
    executionRole: optional(string({ min: 20 })),
    userProfiles: optional(
      array(
        object({
          name: required(string(patterns.studioName)),
          status: optional(oneOf(STUDIO_RESOURCE_STATUSES)),
          creationTime: optional(at),
          executionRole: optional(string({ min: 20 })),
          apps: optional(apps(USER_PROFILE_APP_TYPES, at)),
        }),
      ),
    ),
    spaces: optional(
      array(
        object({
          name: required(string(patterns.studioName)),
          status: optional(oneOf(STUDIO_RESOURCE_STATUSES)),
          creationTime: optional(at),
          ownerUserProfile: optional(string(patterns.studioName)),
          sharingType: optional(oneOf(['Private', 'Shared'] as const)),
          appType: optional(oneOf(SPACE_APP_TYPES)),
          remoteAccess: optional(oneOf(['ENABLED', 'DISABLED'] as const)),
          displayName: optional(string({ min: 1 })),
          apps: optional(apps(SPACE_APP_TYPES, at)),
        }),
      ),
    ),
  });
  const cluster = object({
    name: required(string(NAME_63)),
    id: optional(string(patterns.clusterId)),
    status: optional(oneOf(CLUSTER_STATUSES)),
    creationTime: optional(at),
    failureMessage: optional(string({ max: 1024 })),
    orchestrator: optional(oneOf(['Slurm', 'Eks'] as const)),
    instanceGroups: optional(
      array(
        object({
          name: required(string(NAME_63)),
          instanceType: optional(string(patterns.mlInstanceType)),
          status: optional(oneOf(INSTANCE_GROUP_STATUSES)),
          executionRole: optional(string({ min: 20 })),
          instanceCount: optional(integer({ min: 0, max: 100 })),
          nodes: optional(
            array(
              object({
                id: optional(string(patterns.ec2InstanceId)),
                status: optional(oneOf(CLUSTER_INSTANCE_STATUSES)),
                message: optional(string({ max: 1024 })),
                launchTime: optional(at),
                container: optional(boolean()),
              }),
            ),
          ),
        }),
      ),
    ),
  });
  const instance = object({
    id: optional(string(patterns.instanceId)),
    tags: optional(tags),
    pingStatus: optional(oneOf(PING_STATUSES)),
    lastPing: optional(at),
    computerName: optional(string({ min: 1 })),
    platformType: optional(oneOf(PLATFORM_TYPES)),
    platformName: optional(string({ min: 1 })),
    platformVersion: optional(string({ min: 1 })),
    agentVersion: optional(string({ min: 1 })),
    ipAddress: optional(string({ min: 1 })),
    registrationDate: optional(at),
    activationId: optional(string({ min: 1 })),
    iamRole: optional(string({ min: 1 })),
    name: optional(string()),
    associationStatus: optional(string({ min: 1 })),
  });
  const activation = object({
    id: optional(string({ pattern: /^[0-9a-f-]{36}$/, patternHint: 'a lowercase UUID' })),
    code: optional(string({ min: 20, max: 250 })),
    iamRole: required(string({ min: 1 })),
    registrationLimit: optional(integer({ min: 1, max: 1000 })),
    registrationsCount: optional(integer({ min: 0 })),
    description: optional(string({ max: 256 })),
    defaultInstanceName: optional(string({ max: 256 })),
    createdDate: optional(at),
    expirationDate: optional(at),
    tags: optional(tags),
  });
  const bucket = object({
    name: required(string(patterns.bucket)),
    region: optional(string(patterns.region)),
    creationDate: optional(at),
    objects: optional(
      array(
        refine(
          object({
            key: required(string({ min: 1, max: 1024 })),
            body: optional(string()),
            bodyBase64: optional(string({ pattern: /^[A-Za-z0-9+/]*={0,2}$/, patternHint: 'base64' })),
            contentType: optional(string({ min: 1 })),
            lastModified: optional(at),
            metadata: optional(stringMap),
          }),
          (spec) =>
            spec.body !== undefined && spec.bodyBase64 !== undefined
              ? 'use either "body" or "bodyBase64", not both'
              : undefined,
        ),
      ),
    ),
  });
  return object({
    description: optional(string()),
    account: optional(string(patterns.account)),
    region: optional(string(patterns.region)),
    partition: optional(string(patterns.partition)),
    identities: optional(array(identity, { min: 1 })),
    latencyMs: optional(integer({ min: 0, max: 600_000 })),
    options: optional(
      object({
        verifySignatures: optional(boolean()),
        enforceRegion: optional(boolean()),
        stopDelayMs: optional(integer({ min: 0 })),
        spaceContainers: optional(boolean()),
      }),
    ),
    sagemaker: optional(
      object({
        trainingJobs: optional(array(trainingJob)),
        domains: optional(array(domain)),
        ...payloadResourceFields(at),
        clusters: optional(array(cluster)),
      }),
    ),
    ssm: optional(object({ instances: optional(array(instance)), activations: optional(array(activation)) })),
    s3: optional(object({ buckets: optional(array(bucket)) })),
    faults: optional(array(fault())),
  });
}
