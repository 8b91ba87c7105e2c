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
  remoteAccess?: 'ENABLED' | 'DISABLED';
  /** The instance type CreateApp uses without a ResourceSpec (SpaceSettings' DefaultResourceSpec). */
  defaultInstanceType?: string;
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
  /** CreateApp: Pending until then (and until a space's runtime is up, see SpaceRuntime). */
  readyAt?: Date;
  /** DeleteApp: Deleting until then. */
  goneAt?: Date;
  /** False while a runtime (a simulated container) is starting for this app; see SpaceRuntime. */
  runtimeReady?: boolean;
}

/**
 * What runs a space's app: the container manager starts a simulated container with SageMaker's own
 * agent and sshd when CreateApp is called for a space with remote access, and opens
 * sagemaker:StartSession's sessions to it. Without one (no containers), apps only change status.
 */
export interface SpaceRuntime {
  appCreated(app: AppRecord, space: SpaceRecord): void;
  appDeleted(app: AppRecord): void;
  /** The SSM session StartSession answers with, or undefined when the app's container is not up. */
  startSession(
    app: AppRecord,
    endpoint: string,
  ): { SessionId: string; StreamUrl: string; TokenValue: string } | undefined;
}

/** Studio domains, user profiles, spaces and apps; `version` changes on every write. */
export class StudioStore {
  private readonly domains = new Map<string, DomainRecord>();
  private readonly profiles = new Map<string, UserProfileRecord>();
  private readonly spaces = new Map<string, SpaceRecord>();
  private readonly apps = new Map<string, AppRecord>();
  private revision = 0;
  runtime: SpaceRuntime | undefined;

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

  /** Applies a change to a space (UpdateSpace). */
  updateSpace(space: SpaceRecord, change: (space: SpaceRecord) => void): void {
    change(space);
    this.revision++;
  }

  /** Removes an app (CreateApp replaces a Deleted or Failed app of the same name). */
  removeApp(app: AppRecord): void {
    this.apps.delete(appKey(app.domainId, app.ownerKind, app.owner, app.type, app.name));
    this.revision++;
  }

  /** Pending apps whose start is due and Deleting apps whose deletion is due. */
  transitionsDueBy(now: Date): { ready: AppRecord[]; gone: AppRecord[] } {
    const apps = [...this.apps.values()];
    return {
      ready: apps.filter(
        (app) =>
          app.status === 'Pending' &&
          app.readyAt !== undefined &&
          app.readyAt <= now &&
          app.runtimeReady !== false,
      ),
      gone: apps.filter((app) => app.status === 'Deleting' && app.goneAt !== undefined && app.goneAt <= now),
    };
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
