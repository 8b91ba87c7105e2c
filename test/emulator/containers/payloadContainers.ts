import { roleNameOf } from '../scenario/executionRoles';
import { PAYLOAD_SCENARIO_KEYS } from '../scenario/payloadResources';
import type { PayloadResourcesOf } from '../scenario/payloadResources';
import type { Scenario } from '../scenario/types';
import type { EmulatorState } from '../state';
import type { PayloadResourceRecord } from '../stores/payloadResources';
import { derivedHex } from '../ids';
import type { SageMakerContainerLayout } from './sagemakerEnvironment';
import type { ContainerFile } from './sandbox';
import type { LogStore } from '../services/logs';

/*
 * Simulated containers of processing jobs, transform jobs, endpoints and notebook instances that
 * run the payload. They register the way upstream's sm-init-ssm does for each type: SSHResourceName
 * and SSHResourceArn from processingjobconfig.json, $TRANSFORM_JOB_ARN or resource-metadata.json,
 * both empty on an endpoint (its container cannot learn its endpoint's name), and no SSHHost tag,
 * so clients must tell nodes apart by the agent's ComputerName (the container hostname).
 */

/** What declared.ts needs to start one node. */
export interface PayloadNodePlan {
  readonly resourceName: string;
  readonly resourceArn: string;
  /** The tags' SSHResourceName and SSHResourceArn, as upstream's sm-init-ssm finds them. */
  readonly tags: { readonly SSHResourceName: string; readonly SSHResourceArn: string };
  readonly layout: SageMakerContainerLayout;
  readonly declaration: {
    readonly owner?: string;
    readonly pingStatus?: 'Online' | 'ConnectionLost';
    readonly agent?: 'aws' | 'stand-in';
  };
  readonly owner: string;
  readonly roleName: string;
  readonly containerId: string;
}

function json(value: unknown): ContainerFile {
  return { content: JSON.stringify(value, null, 2) + '\n' };
}

function hosts(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `algo-${i + 1}`);
}

/** Processing: /opt/ml/config/{processingjobconfig,resourceconfig}.json, hostname algo-N. */
function processingLayout(record: PayloadResourceRecord, index: number): SageMakerContainerLayout {
  const hostname = `algo-${index}`;
  return {
    hostname,
    user: 'root',
    users: [],
    env: { ...record.environment },
    files: {
      '/opt/ml/config/processingjobconfig.json': json({
        ProcessingJobName: record.name,
        ProcessingJobArn: record.arn,
        ProcessingResources: {
          ClusterConfig: { InstanceCount: record.instanceCount, InstanceType: record.instanceType },
        },
        RoleArn: record.roleArn,
      }),
      '/opt/ml/config/resourceconfig.json': json({
        current_host: hostname,
        hosts: hosts(record.instanceCount),
      }),
      '/opt/ml/processing/input/.keep': { content: '' },
    },
  };
}

/**
 * Transform jobs and endpoints: model-serving containers. The transform job's ARN is in the
 * environment (upstream reads $TRANSFORM_JOB_ARN); nothing names an endpoint. SageMaker documents no
 * algo-N hostname for serving containers, so these get an EC2-style one that names no node.
 */
function servingLayout(record: PayloadResourceRecord, index: number): SageMakerContainerLayout {
  return {
    hostname: `ip-10-2-${index}-${parseInt(derivedHex(record.arn, 2), 16)}`,
    user: 'root',
    users: [],
    env: {
      ...record.environment,
      ...(record.kind === 'transform-job' ? { TRANSFORM_JOB_ARN: record.arn } : {}),
    },
    files: { '/opt/ml/model/.keep': { content: '' } },
  };
}

/**
 * Notebook instances: upstream runs the payload in a SageMaker local-mode container on the instance,
 * which sees the instance's resource-metadata.json and is named like local mode names them
 * (algo-1-<5 random characters>, no node).
 */
function notebookLayout(record: PayloadResourceRecord): SageMakerContainerLayout {
  return {
    hostname: `algo-1-${derivedHex(record.arn, 5)}`,
    user: 'root',
    users: [],
    env: { ...record.environment },
    files: {
      '/opt/ml/metadata/resource-metadata.json': json({ ResourceArn: record.arn, ResourceName: record.name }),
      '/opt/ml/input/data/notebook/.keep': { content: '' },
    },
  };
}

function layoutOf(record: PayloadResourceRecord, index: number): SageMakerContainerLayout {
  switch (record.kind) {
    case 'processing-job':
      return processingLayout(record, index);
    case 'notebook-instance':
      return notebookLayout(record);
    default:
      return servingLayout(record, index);
  }
}

/** One plan per declared node of every payload resource with an `ssh` declaration. */
export function payloadNodePlans(state: EmulatorState, scenario: Scenario): PayloadNodePlan[] {
  const plans: PayloadNodePlan[] = [];
  const sagemaker: PayloadResourcesOf<Date> = scenario.sagemaker ?? {};
  for (const [key, facts] of Object.entries(PAYLOAD_SCENARIO_KEYS)) {
    for (const spec of sagemaker[key as keyof PayloadResourcesOf<Date>] ?? []) {
      if (!spec.ssh) continue;
      const record = state.payloadResources.get(facts.kind, spec.name)!;
      const named = record.kind !== 'endpoint';
      for (let index = 1; index <= (spec.ssh.nodes ?? 1); index++) {
        plans.push({
          resourceName: record.name,
          resourceArn: record.arn,
          tags: { SSHResourceName: named ? record.name : '', SSHResourceArn: named ? record.arn : '' },
          layout: layoutOf(record, index),
          declaration: spec.ssh,
          owner: spec.ssh.owner ?? state.identities.default.userId,
          roleName: roleNameOf(record.roleArn),
          containerId: `${record.kind}-${record.name}-${index}`.toLowerCase(),
        });
      }
    }
  }
  return plans;
}

/** A declared node as logEndpointRegistrations needs it. */
interface RegisteredNode {
  readonly kind: string;
  readonly resourceArn: string;
  readonly resourceName: string;
  readonly instanceId?: string;
}

/**
 * What an endpoint container's log shows after sm-init-ssm: the agent's registration line, in
 * /aws/sagemaker/Endpoints/<endpoint>, stream AllTraffic/<EC2 instance id>, which is how clients
 * find an endpoint's registrations (their tags name no endpoint).
 */
export function logEndpointRegistrations(logs: LogStore, nodes: readonly RegisteredNode[]): void {
  for (const node of nodes) {
    if (node.kind !== 'payload-resource' || !node.resourceArn.includes(':endpoint/') || !node.instanceId)
      continue;
    logs.appendText(
      `/aws/sagemaker/Endpoints/${node.resourceName}`,
      `AllTraffic/i-${derivedHex(node.instanceId, 17)}`,
      `sm-init-ssm: amazon-ssm-agent: Successfully registered the instance with AWS SSM using Managed instance-id: ${node.instanceId}\n`,
    );
  }
}
