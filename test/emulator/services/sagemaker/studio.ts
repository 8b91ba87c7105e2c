import { validationError } from '../../errors';
import type { JsonObject, JsonOperation, OperationContext } from '../../operations';
import type { SortKey, SortOrder } from '../../pagination';
import { JsonInput } from '../../protocols/jsonInput';
import type {
  AppRecord,
  DomainRecord,
  SpaceRecord,
  StudioStore,
  UserProfileRecord,
} from '../../stores/studio';
import {
  DOMAIN_ID_PATTERN,
  invalidNextToken,
  NAME_PATTERN,
  readMaxResults,
  readNextToken,
  resourceNotFound,
  SORT_ORDERS,
} from './common';
import {
  appDescription,
  appDetails,
  domainDescription,
  domainDetails,
  spaceDescription,
  spaceDetails,
  userProfileDescription,
  userProfileDetails,
} from './shapes';

const APP_TYPES = [
  'JupyterServer',
  'KernelGateway',
  'DetailedProfiler',
  'TensorBoard',
  'CodeEditor',
  'JupyterLab',
  'RStudioServerPro',
  'RSessionGateway',
  'Canvas',
] as const;

interface Timestamped {
  readonly creationTime: Date;
  readonly lastModifiedTime?: Date;
}

/** Sort by CreationTime or LastModifiedTime, ties broken by a unique key. */
function timeOrder<T extends Timestamped>(
  sortBy: string,
  descending: boolean,
  id: (item: T) => string,
): SortOrder<T> {
  const key = (item: T): SortKey => [
    (sortBy === 'LastModifiedTime'
      ? (item.lastModifiedTime ?? item.creationTime)
      : item.creationTime
    ).getTime(),
    id(item),
  ];
  return { key, descending };
}

function readDomainId(input: JsonInput, member = 'DomainId', required = true): string | undefined {
  return input.string(member, { required, max: 63, pattern: DOMAIN_ID_PATTERN });
}

function listDomains(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const limit = readMaxResults(input);
  const nextToken = readNextToken(input);
  input.finish();
  const studio = context.state.studio;
  const page = context.pagination.page({
    scope: 'ListDomains',
    version: studio.version,
    items: () => studio.allDomains(),
    order: timeOrder<DomainRecord>('CreationTime', true, (domain) => domain.id),
    nextToken,
    limit,
    invalidToken: invalidNextToken,
  });
  return { Domains: page.items.map(domainDetails), NextToken: page.nextToken };
}

function describeDomain(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const domainId = readDomainId(input)!;
  input.finish();
  const domain = context.state.studio.domain(domainId);
  if (!domain) throw resourceNotFound(`Domain ${context.state.arns.domain(domainId)} does not exist.`);
  return domainDescription(domain);
}

interface OwnerRecord extends Timestamped {
  readonly domainId: string;
  readonly name: string;
}

/** ListUserProfiles and ListSpaces: the same filters, sorting and paging over another record type. */
interface OwnerListing<T extends OwnerRecord> {
  readonly operation: 'ListUserProfiles' | 'ListSpaces';
  /** The name filter's parameter, e.g. `SpaceNameContains`. */
  readonly nameFilter: string;
  readonly resultKey: 'UserProfiles' | 'Spaces';
  readonly records: (studio: StudioStore) => T[];
  readonly details: (record: T) => JsonObject;
}

function listOwners<T extends OwnerRecord>(
  listing: OwnerListing<T>,
  body: JsonObject,
  context: OperationContext,
): JsonObject {
  const input = JsonInput.of(body);
  const query = {
    domainId: readDomainId(input, 'DomainIdEquals', false),
    nameContains: input.string(listing.nameFilter, { max: 63, pattern: /^[a-zA-Z0-9-]+$/ }),
    sortBy: input.enumOf('SortBy', ['CreationTime', 'LastModifiedTime'] as const) ?? 'CreationTime',
    sortOrder: input.enumOf('SortOrder', SORT_ORDERS) ?? 'Ascending',
  };
  const limit = readMaxResults(input);
  const nextToken = readNextToken(input);
  input.finish();
  const studio = context.state.studio;
  const page = context.pagination.page({
    scope: `${listing.operation}:${JSON.stringify(query)}`,
    version: studio.version,
    items: () =>
      listing
        .records(studio)
        .filter(
          (record) =>
            (query.domainId === undefined || record.domainId === query.domainId) &&
            (query.nameContains === undefined ||
              record.name.toLowerCase().includes(query.nameContains.toLowerCase())),
        ),
    order: timeOrder<T>(
      query.sortBy,
      query.sortOrder === 'Descending',
      (record) => `${record.domainId}/${record.name}`,
    ),
    nextToken,
    limit,
    invalidToken: invalidNextToken,
  });
  return { [listing.resultKey]: page.items.map(listing.details), NextToken: page.nextToken };
}

const listUserProfiles = (body: JsonObject, context: OperationContext): JsonObject =>
  listOwners<UserProfileRecord>(
    {
      operation: 'ListUserProfiles',
      nameFilter: 'UserProfileNameContains',
      resultKey: 'UserProfiles',
      records: (studio) => studio.allUserProfiles(),
      details: userProfileDetails,
    },
    body,
    context,
  );

const listSpaces = (body: JsonObject, context: OperationContext): JsonObject =>
  listOwners<SpaceRecord>(
    {
      operation: 'ListSpaces',
      nameFilter: 'SpaceNameContains',
      resultKey: 'Spaces',
      records: (studio) => studio.allSpaces(),
      details: spaceDetails,
    },
    body,
    context,
  );

function describeUserProfile(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const domainId = readDomainId(input)!;
  const name = input.string('UserProfileName', { required: true, max: 63, pattern: NAME_PATTERN })!;
  input.finish();
  const profile = context.state.studio.userProfile(domainId, name);
  if (!profile)
    throw resourceNotFound(`User profile ${context.state.arns.userProfile(domainId, name)} does not exist.`);
  return userProfileDescription(profile);
}

function describeSpace(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const domainId = readDomainId(input)!;
  const name = input.string('SpaceName', { required: true, max: 63, pattern: NAME_PATTERN })!;
  input.finish();
  const space = context.state.studio.space(domainId, name);
  if (!space) throw resourceNotFound(`Space ${context.state.arns.space(domainId, name)} does not exist.`);
  return spaceDescription(space);
}

function listApps(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const query = {
    domainId: readDomainId(input, 'DomainIdEquals', false),
    userProfile: input.string('UserProfileNameEquals', { max: 63, pattern: NAME_PATTERN }),
    space: input.string('SpaceNameEquals', { max: 63, pattern: NAME_PATTERN }),
    sortOrder: input.enumOf('SortOrder', SORT_ORDERS) ?? 'Ascending',
  };
  input.enumOf('SortBy', ['CreationTime'] as const);
  const limit = readMaxResults(input);
  const nextToken = readNextToken(input);
  input.finish();
  if (query.userProfile !== undefined && query.space !== undefined) {
    throw validationError('UserProfileNameEquals and SpaceNameEquals cannot both be specified.');
  }
  const studio = context.state.studio;
  const page = context.pagination.page({
    scope: `ListApps:${JSON.stringify(query)}`,
    version: studio.version,
    items: () => studio.allApps().filter((app) => matchesAppQuery(app, query)),
    order: timeOrder<AppRecord>('CreationTime', query.sortOrder === 'Descending', (app) => app.arn),
    nextToken,
    limit,
    invalidToken: invalidNextToken,
  });
  return { Apps: page.items.map(appDetails), NextToken: page.nextToken };
}

function matchesAppQuery(
  app: AppRecord,
  query: { domainId?: string; userProfile?: string; space?: string },
): boolean {
  return (
    (query.domainId === undefined || app.domainId === query.domainId) &&
    (query.userProfile === undefined ||
      (app.ownerKind === 'userProfile' && app.owner === query.userProfile)) &&
    (query.space === undefined || (app.ownerKind === 'space' && app.owner === query.space))
  );
}

function describeApp(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const domainId = readDomainId(input)!;
  const userProfile = input.string('UserProfileName', { max: 63, pattern: NAME_PATTERN });
  const space = input.string('SpaceName', { max: 63, pattern: NAME_PATTERN });
  const appType = input.enumOf('AppType', APP_TYPES, true)!;
  const appName = input.string('AppName', { required: true, max: 63, pattern: NAME_PATTERN })!;
  input.finish();
  if ((userProfile === undefined) === (space === undefined)) {
    throw validationError('Specify exactly one of UserProfileName and SpaceName.');
  }
  const ownerKind = userProfile !== undefined ? 'userProfile' : 'space';
  const owner = (userProfile ?? space)!;
  const app = context.state.studio.app(domainId, ownerKind, owner, appType, appName);
  if (!app) {
    throw resourceNotFound(
      `App ${context.state.arns.app(domainId, owner, appType, appName)} does not exist.`,
    );
  }
  return appDescription(app);
}

export const studioOperations: Record<string, JsonOperation> = {
  ListDomains: { handler: listDomains },
  DescribeDomain: { handler: describeDomain },
  ListUserProfiles: { handler: listUserProfiles },
  DescribeUserProfile: { handler: describeUserProfile },
  ListSpaces: { handler: listSpaces },
  DescribeSpace: { handler: describeSpace },
  ListApps: { handler: listApps },
  DescribeApp: { handler: describeApp },
};
