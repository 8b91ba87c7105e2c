import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SshInstance } from './sshInstance';
import { parseSshTags, sshTagKeys } from './sshTags';
import type { SshTags } from './sshTags';
import { abortable } from '../util/sleep';
import type { CancellationSignal } from '../util/sleep';

export interface SshInstanceQuery {
  /** SageMaker resource names (job or app names) to look for; compared case-insensitively later. */
  readonly resourceNames?: readonly string[];
  /** Managed instance ids to look up (an endpoint's, found in its log), instead of resource names. */
  readonly instanceIds?: readonly string[];
  /** Only instances whose SSHOwner tag is this user id. */
  readonly owner?: string;
  /** Only instances whose agent is Online. */
  readonly onlineOnly?: boolean;
  /** Aborts the SDK call in flight when cancelled. */
  readonly signal?: CancellationSignal;
}

/** AWS accepts at most this many values in one DescribeInstanceInformation filter. */
const maxFilterValues = 100;
const pageSize = 50;
const maxPages = 20;

interface InstanceFilter {
  Key: string;
  Values: string[];
}

function nameVariants(names: readonly string[]): string[] {
  const values = new Set<string>();
  for (const name of names) {
    values.add(name);
    values.add(name.toLowerCase());
  }
  return [...values];
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size));
  }
  return chunks;
}

function baseFilters(query: SshInstanceQuery): InstanceFilter[] {
  const filters: InstanceFilter[] = [{ Key: 'ResourceType', Values: ['ManagedInstance'] }];
  if (query.owner) {
    filters.push({ Key: `tag:${sshTagKeys.owner}`, Values: [query.owner] });
  }
  if (query.onlineOnly) {
    filters.push({ Key: 'PingStatus', Values: ['Online'] });
  }
  return filters;
}

interface RawInstance {
  readonly InstanceId?: string;
  readonly PingStatus?: string;
  readonly LastPingDateTime?: Date;
  readonly ComputerName?: string;
  readonly AgentVersion?: string;
  readonly IPAddress?: string;
  readonly ActivationId?: string;
}

async function describeInstances(
  ssm: SSMClient,
  filters: InstanceFilter[],
  signal: CancellationSignal | undefined,
): Promise<RawInstance[]> {
  const { DescribeInstanceInformationCommand } = await import('@aws-sdk/client-ssm');
  const found: RawInstance[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const out = await ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: filters,
        MaxResults: pageSize,
        NextToken: nextToken,
      }),
      abortable(signal),
    );
    found.push(...(out.InstanceInformationList ?? []));
    nextToken = out.NextToken;
    if (!nextToken) {
      break;
    }
  }
  return found;
}

/**
 * DescribeInstanceInformation returns no tags, but every instance names the activation it
 * registered with, and activations carry the same tags. So one DescribeActivations call per 50
 * instances recovers the tags, where ListTagsForResource would cost one call per instance.
 */
async function activationTags(
  ssm: SSMClient,
  activationIds: readonly string[],
  signal: CancellationSignal | undefined,
): Promise<Map<string, SshTags>> {
  const { DescribeActivationsCommand } = await import('@aws-sdk/client-ssm');
  const tags = new Map<string, SshTags>();
  for (const ids of chunk(activationIds, pageSize)) {
    let nextToken: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const out = await ssm.send(
        new DescribeActivationsCommand({
          Filters: [{ FilterKey: 'ActivationIds', FilterValues: ids }],
          MaxResults: pageSize,
          NextToken: nextToken,
        }),
        abortable(signal),
      );
      for (const activation of out.ActivationList ?? []) {
        if (activation.ActivationId) {
          tags.set(activation.ActivationId, parseSshTags(activation.Tags));
        }
      }
      nextToken = out.NextToken;
      if (!nextToken) {
        break;
      }
    }
  }
  return tags;
}

/** Instances whose activation is gone (an admin deleted it) fall back to their own tags, a few at most. */
const maxOrphanLookups = 10;

async function orphanTags(
  ssm: SSMClient,
  instanceIds: readonly string[],
  signal: CancellationSignal | undefined,
): Promise<Map<string, SshTags>> {
  const { ListTagsForResourceCommand } = await import('@aws-sdk/client-ssm');
  const tags = new Map<string, SshTags>();
  await Promise.all(
    instanceIds.slice(0, maxOrphanLookups).map(async (id) => {
      const out = await ssm.send(
        new ListTagsForResourceCommand({ ResourceType: 'ManagedInstance', ResourceId: id }),
        abortable(signal),
      );
      tags.set(id, parseSshTags(out.TagList));
    }),
  );
  return tags;
}

function toSshInstance(raw: RawInstance, tags: SshTags | undefined): SshInstance | undefined {
  if (!raw.InstanceId || !tags) {
    return undefined;
  }
  return {
    instanceId: raw.InstanceId,
    pingStatus: raw.PingStatus ?? 'Unknown',
    lastPing: raw.LastPingDateTime,
    computerName: raw.ComputerName || undefined,
    agentVersion: raw.AgentVersion,
    ipAddress: raw.IPAddress,
    tags,
  };
}

/**
 * Finds the managed instances SageMaker containers registered for the given resources, with a
 * number of calls that does not grow with the number of resources: server-side tag filters on
 * SSHResourceName, then the tags of all their activations at once.
 */
export async function findSshInstances(ssm: SSMClient, query: SshInstanceQuery): Promise<SshInstance[]> {
  if (query.resourceNames?.length === 0 || query.instanceIds?.length === 0) {
    return [];
  }
  const filters = baseFilters(query);
  const raw: RawInstance[] = [];
  if (query.instanceIds) {
    for (const values of chunk(query.instanceIds, pageSize)) {
      raw.push(
        ...(await describeInstances(ssm, [...filters, { Key: 'InstanceIds', Values: values }], query.signal)),
      );
    }
  } else if (query.resourceNames) {
    const names = nameVariants(query.resourceNames);
    for (const values of chunk(names, maxFilterValues)) {
      raw.push(
        ...(await describeInstances(
          ssm,
          [...filters, { Key: `tag:${sshTagKeys.resourceName}`, Values: values }],
          query.signal,
        )),
      );
    }
  } else {
    raw.push(
      ...(await describeInstances(
        ssm,
        [...filters, { Key: 'tag-key', Values: [sshTagKeys.resourceArn] }],
        query.signal,
      )),
    );
  }
  const activationIds = [...new Set(raw.map((r) => r.ActivationId).filter((id): id is string => !!id))];
  const tags = activationIds.length
    ? await activationTags(ssm, activationIds, query.signal)
    : new Map<string, SshTags>();
  const orphans = raw.filter((r) => r.InstanceId && !(r.ActivationId && tags.has(r.ActivationId)));
  const orphanTagsById = orphans.length
    ? await orphanTags(
        ssm,
        orphans.map((r) => r.InstanceId!),
        query.signal,
      )
    : new Map();
  return raw
    .map((r) =>
      toSshInstance(
        r,
        (r.ActivationId && tags.get(r.ActivationId)) || orphanTagsById.get(r.InstanceId ?? ''),
      ),
    )
    .filter((i): i is SshInstance => i !== undefined);
}
