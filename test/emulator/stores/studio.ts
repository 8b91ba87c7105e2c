import type { AppStatus, AppType, SpaceAppType, StudioResourceStatus } from '../scenario/types';

export interface DomainRecord {
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  status: StudioResourceStatus;
  readonly creationTime: Date;
  lastModifiedTime: Date;
  readonly executionRole: string;
  readonly url: string;
  readonly homeEfsFileSystemId: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
}

export interface UserProfileRecord {
  readonly domainId: string;
  readonly name: string;
  readonly arn: string;
  status: StudioResourceStatus;
  readonly creationTime: Date;
  lastModifiedTime: Date;
  readonly executionRole?: string;
  readonly homeEfsFileSystemUid: string;
}

export interface SpaceRecord {
  readonly domainId: string;
  readonly name: string;
  readonly arn: string;
  status: StudioResourceStatus;
  readonly creationTime: Date;
  lastModifiedTime: Date;
  readonly ownerUserProfile?: string;
  readonly sharingType: 'Private' | 'Shared';
  readonly appType?: SpaceAppType;
  readonly remoteAccess?: 'ENABLED' | 'DISABLED';
  readonly displayName?: string;
  readonly url: string;
  readonly homeEfsFileSystemUid: string;
}

/** Studio Classic apps are owned by a user profile, Studio IDE apps by a space. */
export type AppOwnerKind = 'userProfile' | 'space';

export interface AppRecord {
  readonly domainId: string;
  readonly ownerKind: AppOwnerKind;
  readonly owner: string;
  readonly type: AppType;
  readonly name: string;
  readonly arn: string;
  status: AppStatus;
  readonly creationTime: Date;
  lastHealthCheckTimestamp?: Date;
  lastUserActivityTimestamp?: Date;
  readonly instanceType: string;
  readonly imageArn: string;
  readonly failureReason?: string;
}

/** Studio domains, user profiles, spaces and apps; `version` changes on every write. */
export class StudioStore {
  private readonly domains = new Map<string, DomainRecord>();
  private readonly profiles = new Map<string, UserProfileRecord>();
  private readonly spaces = new Map<string, SpaceRecord>();
  private readonly apps = new Map<string, AppRecord>();
  private revision = 0;

  get version(): number {
    return this.revision;
  }

  addDomain(domain: DomainRecord): void {
    this.insert(this.domains, domain.id, domain, `Domain ${domain.id}`);
  }

  addUserProfile(profile: UserProfileRecord): void {
    this.insert(
      this.profiles,
      `${profile.domainId}/${profile.name}`,
      profile,
      `User profile ${profile.name}`,
    );
  }

  addSpace(space: SpaceRecord): void {
    this.insert(this.spaces, `${space.domainId}/${space.name}`, space, `Space ${space.name}`);
  }

  addApp(app: AppRecord): void {
    this.insert(
      this.apps,
      appKey(app.domainId, app.ownerKind, app.owner, app.type, app.name),
      app,
      `App ${app.name}`,
    );
  }

  domain(id: string): DomainRecord | undefined {
    return this.domains.get(id);
  }

  userProfile(domainId: string, name: string): UserProfileRecord | undefined {
    return this.profiles.get(`${domainId}/${name}`);
  }

  space(domainId: string, name: string): SpaceRecord | undefined {
    return this.spaces.get(`${domainId}/${name}`);
  }

  app(
    domainId: string,
    ownerKind: AppOwnerKind,
    owner: string,
    type: string,
    name: string,
  ): AppRecord | undefined {
    return this.apps.get(appKey(domainId, ownerKind, owner, type, name));
  }

  allDomains(): DomainRecord[] {
    return [...this.domains.values()];
  }

  allUserProfiles(): UserProfileRecord[] {
    return [...this.profiles.values()];
  }

  allSpaces(): SpaceRecord[] {
    return [...this.spaces.values()];
  }

  allApps(): AppRecord[] {
    return [...this.apps.values()];
  }

  /** Applies a change to an app (status transitions, health timestamps). */
  updateApp(app: AppRecord, change: (app: AppRecord) => void): void {
    change(app);
    this.revision++;
  }

  private insert<T>(map: Map<string, T>, key: string, value: T, what: string): void {
    if (map.has(key)) throw new Error(`${what} already exists`);
    map.set(key, value);
    this.revision++;
  }
}

function appKey(
  domainId: string,
  ownerKind: AppOwnerKind,
  owner: string,
  type: string,
  name: string,
): string {
  return `${domainId}/${ownerKind}/${owner}/${type}/${name}`;
}
