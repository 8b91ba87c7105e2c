import type { PingStatus, PlatformType } from '../scenario/types';

/** The agent version reported when a scenario or registration does not say. */
export const DEFAULT_AGENT_VERSION = '3.3.1802.0';

export interface ManagedInstanceRecord {
  readonly id: string;
  pingStatus: PingStatus;
  lastPingDateTime: Date;
  agentVersion: string;
  platformType: PlatformType;
  platformName: string;
  platformVersion: string;
  computerName: string;
  ipAddress: string;
  readonly registrationDate: Date;
  readonly activationId?: string;
  readonly iamRole: string;
  readonly name: string;
  associationStatus?: string;
  /** Kept in insertion order, as SSM returns them. */
  readonly tags: Map<string, string>;
  /** The agent's public key (base64 DER) from RegisterManagedInstance or UpdateManagedInstancePublicKey. */
  publicKey?: string;
}

/** What a (simulated) agent reports about itself in UpdateInstanceInformation. */
export interface AgentReport {
  readonly agentVersion?: string;
  readonly platformType?: PlatformType;
  readonly platformName?: string;
  readonly platformVersion?: string;
  readonly computerName?: string;
  readonly ipAddress?: string;
}

/**
 * Managed instances by id, with a tag index (key → value → ids) so `tag:` filters do not scan,
 * and a registration-ordered id list for stable listing. `version` changes on every write.
 */
export class ManagedInstanceStore {
  private readonly byId = new Map<string, ManagedInstanceRecord>();
  private readonly tagIndex = new Map<string, Map<string, Set<string>>>();
  private revision = 0;

  get version(): number {
    return this.revision;
  }

  get size(): number {
    return this.byId.size;
  }

  add(instance: ManagedInstanceRecord): void {
    if (this.byId.has(instance.id)) throw new Error(`Managed instance ${instance.id} already exists`);
    this.byId.set(instance.id, instance);
    for (const [key, value] of instance.tags) this.indexTag(instance.id, key, value);
    this.revision++;
  }

  get(id: string): ManagedInstanceRecord | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** All instances in registration order (insertion order of the map). */
  all(): ManagedInstanceRecord[] {
    return [...this.byId.values()];
  }

  remove(id: string): boolean {
    const instance = this.byId.get(id);
    if (!instance) return false;
    for (const [key, value] of instance.tags) this.unindexTag(id, key, value);
    this.byId.delete(id);
    this.revision++;
    return true;
  }

  /** Ids whose tag `key` has one of `values`. */
  idsWithTagValues(key: string, values: readonly string[]): Set<string> {
    const byValue = this.tagIndex.get(key);
    const ids = new Set<string>();
    if (!byValue) return ids;
    for (const value of values) for (const id of byValue.get(value) ?? []) ids.add(id);
    return ids;
  }

  /** Ids that have any of the tag `keys`. */
  idsWithTagKeys(keys: readonly string[]): Set<string> {
    const ids = new Set<string>();
    for (const key of keys)
      for (const idsForValue of this.tagIndex.get(key)?.values() ?? []) {
        for (const id of idsForValue) ids.add(id);
      }
    return ids;
  }

  setTags(id: string, tags: ReadonlyMap<string, string>): void {
    const instance = this.require(id);
    for (const [key, value] of tags) {
      const previous = instance.tags.get(key);
      if (previous !== undefined) this.unindexTag(id, key, previous);
      instance.tags.set(key, value);
      this.indexTag(id, key, value);
    }
    this.revision++;
  }

  removeTags(id: string, keys: readonly string[]): void {
    const instance = this.require(id);
    for (const key of keys) {
      const previous = instance.tags.get(key);
      if (previous === undefined) continue;
      this.unindexTag(id, key, previous);
      instance.tags.delete(key);
    }
    this.revision++;
  }

  setPingStatus(id: string, status: PingStatus, at?: Date): void {
    const instance = this.require(id);
    instance.pingStatus = status;
    if (at) instance.lastPingDateTime = at;
    this.revision++;
  }

  /** An agent heartbeat: the instance is Online as of `at`, with whatever the agent reported. */
  heartbeat(id: string, report: AgentReport, at: Date): void {
    const instance = this.require(id);
    instance.pingStatus = 'Online';
    instance.lastPingDateTime = at;
    if (report.agentVersion !== undefined) instance.agentVersion = report.agentVersion;
    if (report.platformType !== undefined) instance.platformType = report.platformType;
    if (report.platformName !== undefined) instance.platformName = report.platformName;
    if (report.platformVersion !== undefined) instance.platformVersion = report.platformVersion;
    if (report.computerName !== undefined) instance.computerName = report.computerName;
    if (report.ipAddress !== undefined) instance.ipAddress = report.ipAddress;
    this.revision++;
  }

  private require(id: string): ManagedInstanceRecord {
    const instance = this.byId.get(id);
    if (!instance) throw new Error(`Managed instance ${id} does not exist`);
    return instance;
  }

  private indexTag(id: string, key: string, value: string): void {
    let byValue = this.tagIndex.get(key);
    if (!byValue) {
      byValue = new Map();
      this.tagIndex.set(key, byValue);
    }
    let ids = byValue.get(value);
    if (!ids) {
      ids = new Set();
      byValue.set(value, ids);
    }
    ids.add(id);
  }

  private unindexTag(id: string, key: string, value: string): void {
    const byValue = this.tagIndex.get(key);
    const ids = byValue?.get(value);
    ids?.delete(id);
    if (ids && ids.size === 0) byValue!.delete(value);
    if (byValue && byValue.size === 0) this.tagIndex.delete(key);
  }
}
