import { AwsError } from '../../errors';
import type { JsonObject, JsonOperation, OperationContext } from '../../operations';
import { JsonInput } from '../../protocols/jsonInput';
import { PING_STATUSES, PLATFORM_TYPES } from '../../scenario/types';
import type { ManagedInstanceRecord, ManagedInstanceStore } from '../../stores/instances';
import { invalidNextToken } from './common';

/** Keys of DescribeInstanceInformation filters, besides `tag:<key>` and `tag-key`. */
const FILTER_KEYS = [
  'InstanceIds',
  'AgentVersion',
  'PingStatus',
  'PlatformTypes',
  'ActivationIds',
  'IamRole',
  'ResourceType',
  'AssociationStatus',
] as const;

/** Allowed values for the filter keys that are enumerations. */
const ENUMERATED_VALUES: Partial<Record<string, readonly string[]>> = {
  PingStatus: PING_STATUSES,
  PlatformTypes: PLATFORM_TYPES,
  ResourceType: ['ManagedInstance', 'EC2Instance'],
};

interface InstanceFilter {
  readonly key: string;
  readonly values: readonly string[];
}

function readFilters(input: JsonInput): InstanceFilter[] {
  const legacy = (input.objectList('InstanceInformationFilterList') ?? []).map((entry) => ({
    key: entry.enumOf('key', FILTER_KEYS, true) ?? '',
    values: entry.stringList('valueSet', { required: true, min: 1, max: 100 }, { min: 1 }) ?? [],
  }));
  const current = (input.objectList('Filters') ?? []).map((entry) => ({
    key: entry.string('Key', { required: true, min: 1, max: 255 }) ?? '',
    values: entry.stringList('Values', { required: true, min: 1, max: 100 }, { min: 1 }) ?? [],
  }));
  return [...legacy, ...current];
}

function checkFilter(filter: InstanceFilter): void {
  const known = (FILTER_KEYS as readonly string[]).includes(filter.key);
  const isTagFilter = filter.key === 'tag-key' || (filter.key.startsWith('tag:') && filter.key.length > 4);
  if (!known && !isTagFilter) {
    throw new AwsError(
      'InvalidFilterKey',
      `The filter key ${filter.key} is not valid. Valid keys are ${FILTER_KEYS.join(', ')}, tag-key and tag:<tag key>.`,
    );
  }
  const allowed = ENUMERATED_VALUES[filter.key];
  const bad = allowed ? filter.values.find((value) => !allowed.includes(value)) : undefined;
  if (bad !== undefined) {
    throw new AwsError(
      'InvalidInstanceInformationFilterValue',
      `The filter value ${bad} is not valid for ${filter.key}. Valid values are ${allowed!.join(', ')}.`,
    );
  }
}

function instanceField(instance: ManagedInstanceRecord, key: string): string | undefined {
  switch (key) {
    case 'InstanceIds':
      return instance.id;
    case 'AgentVersion':
      return instance.agentVersion;
    case 'PingStatus':
      return instance.pingStatus;
    case 'PlatformTypes':
      return instance.platformType;
    case 'ActivationIds':
      return instance.activationId;
    case 'IamRole':
      return instance.iamRole;
    case 'ResourceType':
      return 'ManagedInstance';
    case 'AssociationStatus':
      return instance.associationStatus;
    default:
      return undefined;
  }
}

/** Tag filters narrow the candidates through the tag index; the other filters are checked per instance. */
function matchingInstances(
  store: ManagedInstanceStore,
  filters: readonly InstanceFilter[],
): ManagedInstanceRecord[] {
  let candidates: Set<string> | undefined;
  for (const filter of filters) {
    let ids: Set<string> | undefined;
    if (filter.key === 'tag-key') ids = store.idsWithTagKeys(filter.values);
    else if (filter.key.startsWith('tag:')) ids = store.idsWithTagValues(filter.key.slice(4), filter.values);
    if (ids) candidates = candidates ? new Set([...candidates].filter((id) => ids!.has(id))) : ids;
  }
  const fieldFilters = filters.filter((filter) => filter.key !== 'tag-key' && !filter.key.startsWith('tag:'));
  const pool = candidates ? [...candidates].map((id) => store.get(id)!) : store.all();
  return pool.filter((instance) =>
    fieldFilters.every((filter) => {
      const value = instanceField(instance, filter.key);
      return value !== undefined && filter.values.includes(value);
    }),
  );
}

function instanceInformation(instance: ManagedInstanceRecord): Record<string, unknown> {
  return {
    InstanceId: instance.id,
    PingStatus: instance.pingStatus,
    LastPingDateTime: instance.lastPingDateTime,
    AgentVersion: instance.agentVersion,
    IsLatestVersion: false,
    PlatformType: instance.platformType,
    PlatformName: instance.platformName,
    PlatformVersion: instance.platformVersion,
    ActivationId: instance.activationId,
    IamRole: instance.iamRole,
    RegistrationDate: instance.registrationDate,
    ResourceType: 'ManagedInstance',
    Name: instance.name || undefined,
    IPAddress: instance.ipAddress,
    ComputerName: instance.computerName,
    AssociationStatus: instance.associationStatus,
    SourceId: instance.id,
    SourceType: 'AWS::SSM::ManagedInstance',
  };
}

function describeInstanceInformation(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const filters = readFilters(input);
  const limit = input.integer('MaxResults', { min: 5, max: 50 }) ?? 10;
  const nextToken = input.string('NextToken');
  input.finish();
  filters.forEach(checkFilter);
  const store = context.state.instances;
  const page = context.pagination.page({
    scope: `DescribeInstanceInformation:${JSON.stringify(filters)}`,
    version: store.version,
    items: () =>
      matchingInstances(store, filters).filter(
        (instance) => !context.state.isServiceOwnedInstance(instance.id),
      ),
    order: { key: (instance) => [instance.registrationDate.getTime(), instance.id], descending: false },
    nextToken,
    limit,
    invalidToken: invalidNextToken,
  });
  return { InstanceInformationList: page.items.map(instanceInformation), NextToken: page.nextToken };
}

export const instanceInformationOperations: Record<string, JsonOperation> = {
  DescribeInstanceInformation: { handler: describeInstanceInformation },
};
