import type { EmulatorState } from '../state';
import type { PayloadResourceKind, PayloadResourceRecord } from '../stores/payloadResources';
import type { Problems } from './validate';
import {
  array,
  childPath,
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
import type { Tags } from './types';

/*
 * Scenario syntax for processing jobs, transform jobs, endpoints and notebook instances (issue 12,
 * item 5): `sagemaker.processingJobs`, `transformJobs`, `endpoints`, `notebookInstances`, each a list
 * of { name, status, …, ssh? }. An `ssh` declaration starts simulated containers that register the
 * way upstream's sm-init-ssm does for that type (see containers/payloadContainers.ts).
 */

export const JOB_STATUSES = ['InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped'] as const;
export const ENDPOINT_STATUSES = [
  'Creating',
  'Deleting',
  'Failed',
  'InService',
  'OutOfService',
  'RollingBack',
  'SystemUpdating',
  'UpdateRollbackFailed',
  'Updating',
] as const;
export const NOTEBOOK_INSTANCE_STATUSES = [
  'Pending',
  'InService',
  'Stopping',
  'Stopped',
  'Failed',
  'Deleting',
  'Updating',
  'InMaintenance',
  'PendingMaintenance',
] as const;

/** A payload resource's `ssh`: containers running the payload, registered as upstream's scripts do. */
export interface PayloadSshDeclarationSpec {
  /** Processing and transform jobs, endpoints: how many nodes get a container (default 1, at most instanceCount). */
  readonly nodes?: number;
  /** The SSHOwner tag; default the first identity's userId. */
  readonly owner?: string;
  readonly pingStatus?: 'Online' | 'ConnectionLost';
  /** `aws` (AWS's agent, default) or `stand-in`, as for training jobs. */
  readonly agent?: 'aws' | 'stand-in';
}

export interface PayloadResourceSpec<T> {
  readonly name: string;
  /** Default: InProgress for jobs, InService for endpoints and notebook instances. */
  readonly status?: string;
  readonly creationTime?: T;
  readonly lastModifiedTime?: T;
  readonly instanceType?: string;
  readonly instanceCount?: number;
  readonly failureReason?: string;
  readonly environment?: Tags;
  readonly roleArn?: string;
  readonly ssh?: PayloadSshDeclarationSpec;
}

export interface PayloadResourcesOf<T> {
  readonly processingJobs?: readonly PayloadResourceSpec<T>[];
  readonly transformJobs?: readonly PayloadResourceSpec<T>[];
  readonly endpoints?: readonly PayloadResourceSpec<T>[];
  readonly notebookInstances?: readonly PayloadResourceSpec<T>[];
}

interface KindFacts {
  readonly kind: PayloadResourceKind;
  readonly statuses: readonly string[];
  readonly running: string;
  readonly instanceType: string;
}

/** Scenario key → the kind it declares, its statuses and the one in which containers run. */
export const PAYLOAD_SCENARIO_KEYS: Record<keyof PayloadResourcesOf<unknown>, KindFacts> = {
  processingJobs: {
    kind: 'processing-job',
    statuses: JOB_STATUSES,
    running: 'InProgress',
    instanceType: 'ml.m5.xlarge',
  },
  transformJobs: {
    kind: 'transform-job',
    statuses: JOB_STATUSES,
    running: 'InProgress',
    instanceType: 'ml.m5.xlarge',
  },
  endpoints: {
    kind: 'endpoint',
    statuses: ENDPOINT_STATUSES,
    running: 'InService',
    instanceType: 'ml.m5.large',
  },
  notebookInstances: {
    kind: 'notebook-instance',
    statuses: NOTEBOOK_INSTANCE_STATUSES,
    running: 'InService',
    instanceType: 'ml.t3.medium',
  },
};

const NAME_63 = {
  pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
  patternHint: '1-63 letters, digits or hyphens',
};

function resourceValidator(facts: KindFacts, at: Validator<Date>): Validator<PayloadResourceSpec<Date>> {
  const ssh = object({
    nodes: optional(integer({ min: 1, max: 16 })),
    owner: optional(string({ min: 1, max: 256 })),
    pingStatus: optional(oneOf(['Online', 'ConnectionLost'] as const)),
    agent: optional(oneOf(['aws', 'stand-in'] as const)),
  });
  return refine(
    object({
      name: required(string(NAME_63)),
      status: optional(oneOf(facts.statuses)),
      creationTime: optional(at),
      lastModifiedTime: optional(at),
      instanceType: optional(
        string({ pattern: /^ml\.[a-z0-9-]+\.[a-z0-9]+$/, patternHint: 'like ml.m5.xlarge' }),
      ),
      instanceCount: optional(integer({ min: 1, max: 100 })),
      failureReason: optional(string({ max: 1024 })),
      environment: optional(record(string({ max: 256 }))),
      roleArn: optional(string({ min: 20 })),
      ssh: optional(ssh),
    }),
    (spec) => {
      if (spec.ssh && (spec.status ?? facts.running) !== facts.running) {
        return `"ssh" needs running containers, which a ${facts.kind} has only while ${facts.running}; this one is ${spec.status}`;
      }
      if (spec.ssh && facts.kind === 'notebook-instance' && (spec.ssh.nodes ?? 1) > 1) {
        return 'a notebook instance runs one local-mode container: "nodes" must be 1';
      }
      if ((spec.ssh?.nodes ?? 1) > (spec.instanceCount ?? 1)) {
        return `"ssh.nodes" is ${spec.ssh?.nodes}, more than instanceCount (${spec.instanceCount ?? 1})`;
      }
      return undefined;
    },
  );
}

/** The validators of the four lists, to spread into the `sagemaker` object of the scenario schema. */
export function payloadResourceFields(at: Validator<Date>): {
  [K in keyof PayloadResourcesOf<Date>]-?: ReturnType<typeof optional<PayloadResourceSpec<Date>[]>>;
} {
  const field = (
    key: keyof PayloadResourcesOf<Date>,
  ): ReturnType<typeof optional<PayloadResourceSpec<Date>[]>> =>
    optional(array(resourceValidator(PAYLOAD_SCENARIO_KEYS[key], at)));
  return {
    processingJobs: field('processingJobs'),
    transformJobs: field('transformJobs'),
    endpoints: field('endpoints'),
    notebookInstances: field('notebookInstances'),
  };
}

/** Names are unique per kind (case-insensitively, as SageMaker's). */
export function checkPayloadResources(
  scenario: PayloadResourcesOf<Date> | undefined,
  problems: Problems,
): void {
  for (const key of Object.keys(PAYLOAD_SCENARIO_KEYS) as (keyof PayloadResourcesOf<Date>)[]) {
    const seen = new Set<string>();
    (scenario?.[key] ?? []).forEach((spec, index) => {
      const name = spec.name.toLowerCase();
      if (seen.has(name)) {
        problems.report(
          childPath(childPath(`$.sagemaker.${key}`, index), 'name'),
          `duplicate name ${spec.name}`,
        );
      }
      seen.add(name);
    });
  }
}

/** How many simulated containers the declarations start (counted against the scenario's limit). */
export function payloadContainerCount(scenario: PayloadResourcesOf<Date> | undefined): number {
  let count = 0;
  for (const key of Object.keys(PAYLOAD_SCENARIO_KEYS) as (keyof PayloadResourcesOf<Date>)[]) {
    for (const spec of scenario?.[key] ?? []) count += spec.ssh ? (spec.ssh.nodes ?? 1) : 0;
  }
  return count;
}

const ENDED = ['Completed', 'Failed', 'Stopped'];

export function payloadResourceRecord(
  state: EmulatorState,
  facts: KindFacts,
  spec: PayloadResourceSpec<Date>,
): PayloadResourceRecord {
  const status = spec.status ?? facts.running;
  const creationTime = spec.creationTime ?? state.clock.start;
  const startTime = status === 'Pending' || status === 'Creating' ? undefined : creationTime;
  const endTime = ENDED.includes(status) ? (spec.lastModifiedTime ?? state.now()) : undefined;
  return {
    kind: facts.kind,
    name: spec.name,
    arn: state.arns.payloadResource(facts.kind, spec.name),
    status,
    failureReason:
      spec.failureReason ??
      (status === 'Failed' ? 'AlgorithmError: the container exited with code 1' : undefined),
    creationTime,
    startTime,
    endTime,
    lastModifiedTime: spec.lastModifiedTime ?? endTime ?? creationTime,
    instanceType: spec.instanceType ?? facts.instanceType,
    instanceCount: spec.instanceCount ?? 1,
    roleArn: spec.roleArn ?? state.arns.role('SageMakerExecutionRole'),
    image: `683313688378.dkr.ecr.${state.region}.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3`,
    environment: spec.environment ?? {},
    configName: `${spec.name}-config`,
  };
}

/** Adds every declared resource to the state. */
export function addPayloadResources(
  state: EmulatorState,
  scenario: PayloadResourcesOf<Date> | undefined,
): void {
  for (const [key, facts] of Object.entries(PAYLOAD_SCENARIO_KEYS)) {
    for (const spec of scenario?.[key as keyof PayloadResourcesOf<Date>] ?? []) {
      state.payloadResources.add(payloadResourceRecord(state, facts, spec));
    }
  }
}
