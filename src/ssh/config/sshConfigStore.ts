import * as path from 'node:path';
import { parseAlias, stableAliasFor } from '../../targets/targetAlias';
import { InvalidHostAliasError } from '../../targets/targetErrors';
import type { SshTarget } from '../../targets/sshTarget';
import { FileReadError, FileWriteError } from '../../util/fs/errors';
import {
  PRIVATE_DIR_MODE,
  PRIVATE_FILE_MODE,
  createDirectoryTracked,
  removeDirectoriesQuietly,
  writeFileAtomic,
} from '../../util/fs/atomicWrite';
import { isNotFound, nodeFileSystem, readFileIfExists, removeQuietly } from '../../util/fs/fileSystem';
import type { SshFileSystem } from '../../util/fs/fileSystem';
import { withFileLock } from '../../util/fs/fileLock';
import { currentConfigPlatform, includePathValue } from './configValues';
import type { ConfigPlatform } from './configValues';
import { parseManagedConfig, renderManagedConfig } from './managedConfig';
import type { ManagedConfigSettings, ManagedHost } from './managedConfig';
import type { SshConfigPaths } from './sshConfigPaths';
import { planUserConfig } from './userConfigFile';
import type { UserConfigPlan } from './userConfigFile';

/** A host to add: the caller's view, before defaults. */
export interface HostSpec {
  /** A target alias from trainingAlias() / studioAlias() (not a stable alias). */
  readonly alias: string;
  /** Absolute path of the private key (SshKeyStore.privateKeyPath). */
  readonly identityFile: string;
  /** Executable plus plain arguments; %h (the target alias) keeps it host-independent. */
  readonly proxyCommand: readonly string[];
  /** The login user: loginUser() of the target (src/targets), the one place that decides it. */
  readonly user: string;
}

export interface SshConfigStoreOptions {
  readonly paths: SshConfigPaths;
  readonly fs?: SshFileSystem;
  readonly platform?: ConfigPlatform;
}

export interface UpsertHostOptions {
  /** Also point sagemaker-training / sagemaker-studio at this host. Default true. */
  readonly updateStableAlias?: boolean;
}

/**
 * What one upsert did, so a failed connect can take back exactly its own change later, keeping
 * whatever other processes wrote in between.
 */
export interface HostChange {
  readonly host: ManagedHost;
  /** The entries this change wrote (the host and its stable alias). */
  readonly written: readonly ManagedHost[];
  /** What each written alias held before (undefined: it was new). */
  readonly previous: ReadonlyMap<string, ManagedHost | undefined>;
  /** Set when this change added the Include block to the user's config. */
  readonly includeAdded?: {
    readonly target: string;
    readonly mode: number;
    /** The user's config before (undefined: this change created the file) and after our write. */
    readonly before: Buffer | undefined;
    readonly after: Buffer;
  };
  /** This change created our file. */
  readonly managedCreated: boolean;
}

/** Rewrites a host's ProxyCommand: one argv for all hosts, or one per host. */
export type ProxyCommandUpdate = readonly string[] | ((host: ManagedHost) => readonly string[]);

function targetKind(alias: string): SshTarget['kind'] {
  const parsed = parseAlias(alias);
  if (parsed.kind === 'stable') {
    throw new InvalidHostAliasError(alias, 'add the target alias; the stable alias follows it automatically');
  }
  if (parsed.kind === 'studioApp' && (parsed.ownerName === undefined || parsed.domainId === undefined)) {
    throw new InvalidHostAliasError(
      alias,
      'use the full <app>.<space-or-user>.<domain>.studio.sagemaker form',
    );
  }
  return parsed.kind;
}

/**
 * Owns our SSH config file and the Include block in the user's config. Every change writes our
 * file and the user's config together: both are computed and checked first, written atomically,
 * and our file is rolled back if the user's config cannot be written.
 */
export class SshConfigStore {
  readonly paths: SshConfigPaths;
  private readonly fs: SshFileSystem;
  private readonly settings: ManagedConfigSettings;

  constructor(options: SshConfigStoreOptions) {
    this.paths = options.paths;
    this.fs = options.fs ?? nodeFileSystem;
    this.settings = {
      knownHostsFile: options.paths.knownHosts,
      platform: options.platform ?? currentConfigPlatform(),
    };
  }

  get platform(): ConfigPlatform {
    return this.settings.platform;
  }

  /** The hosts in our file (unrecognisable content is ignored). */
  async listHosts(): Promise<ManagedHost[]> {
    return (await this.readManaged()).hosts;
  }

  async getHost(alias: string): Promise<ManagedHost | undefined> {
    return (await this.listHosts()).find((host) => host.alias === alias);
  }

  /** Adds or replaces a host (and by default its stable alias), and makes sure the Include is in place. */
  async upsertHost(spec: HostSpec, options: UpsertHostOptions = {}): Promise<ManagedHost> {
    return (await this.addHost(spec, options)).host;
  }

  /** upsertHost, returning what changed so that revertHost can take back exactly this change. */
  async addHost(spec: HostSpec, options: UpsertHostOptions = {}): Promise<HostChange> {
    const kind = targetKind(spec.alias);
    const host: ManagedHost = {
      alias: spec.alias,
      hostName: spec.alias,
      user: spec.user,
      identityFile: spec.identityFile,
      proxyCommand: [...spec.proxyCommand],
    };
    const written = [host];
    const stableAlias = stableAliasFor(kind);
    if ((options.updateStableAlias ?? true) && stableAlias !== undefined) {
      written.push({ ...host, alias: stableAlias });
    }
    return this.locked(async () => {
      const { bytes, hosts: current } = await this.readManaged();
      const previous = new Map(written.map((w) => [w.alias, current.find((h) => h.alias === w.alias)]));
      const kept = current.filter((h) => !previous.has(h.alias));
      const result = await this.writeAll([...kept, ...written], bytes);
      const { plan } = result;
      return {
        host,
        written,
        previous,
        managedCreated: result.managedCreated,
        includeAdded: plan.changed
          ? {
              target: plan.target,
              mode: plan.mode,
              before: plan.exists ? plan.before : undefined,
              after: plan.after,
            }
          : undefined,
      };
    });
  }

  /**
   * Takes back one addHost: each alias it wrote gets its previous entry back, unless another
   * process replaced it since. The Include block it added goes only when no host is left, and a
   * user config it created is deleted again if nobody changed it since.
   */
  async revertHost(change: HostChange): Promise<void> {
    await this.locked(async () => {
      const managed = await this.readManaged();
      let { hosts } = managed;
      for (const entry of change.written) {
        const current = hosts.find((h) => h.alias === entry.alias);
        if (current && sameHost(current, entry)) {
          const before = change.previous.get(entry.alias);
          hosts = hosts.filter((h) => h.alias !== entry.alias).concat(before ? [before] : []);
        }
      }
      if (hosts.length > 0 || !change.managedCreated) {
        await this.commitManaged(hosts, managed.bytes);
      } else {
        await this.removeManaged();
      }
      if (hosts.length === 0 && change.includeAdded) {
        await this.removeOwnInclude(change.includeAdded);
      }
    });
  }

  /** Removes a host and any stable alias pointing at it. The Include block stays. */
  async removeHost(alias: string): Promise<void> {
    await this.locked(async () => {
      const { bytes, hosts } = await this.readManaged();
      const kept = hosts.filter((h) => h.alias !== alias && h.hostName !== alias);
      if (kept.length !== hosts.length) {
        await this.writeAll(kept, bytes);
      }
    });
  }

  /** Replaces every host's ProxyCommand, e.g. after the extension moved. Returns how many hosts. */
  async rewriteProxyCommands(update: ProxyCommandUpdate): Promise<number> {
    return this.locked(async () => {
      const { bytes, hosts } = await this.readManaged();
      const rewritten = hosts.map((host) => ({
        ...host,
        proxyCommand: [...(typeof update === 'function' ? update(host) : update)],
      }));
      await this.writeAll(rewritten, bytes);
      return rewritten.length;
    });
  }

  /** Replaces all our hosts at once. */
  async replaceHosts(hosts: readonly ManagedHost[]): Promise<void> {
    await this.locked(async () => this.writeAll(hosts, (await this.readManaged()).bytes));
  }

  /** Writes our file and the Include block as they should be, repairing either if needed. */
  async repair(): Promise<void> {
    await this.locked(async () => {
      const { bytes, hosts } = await this.readManaged();
      await this.writeAll(hosts, bytes);
    });
  }

  /** Removes the Include block from the user's config, then our file. */
  async uninstall(): Promise<void> {
    await this.locked(() => this.uninstallUnlocked());
  }

  /**
   * Runs a read-modify-write of our file and the user's config under one cross-process lock
   * (`<our config>.lock`). Directories created for the lock are removed again if it fails.
   */
  private async locked<T>(update: () => Promise<T>): Promise<T> {
    const created = await createDirectoryTracked(
      this.fs,
      path.dirname(this.paths.managedConfig),
      PRIVATE_DIR_MODE,
    );
    try {
      return await withFileLock(this.paths.managedConfig, update, { fs: this.fs });
    } catch (error) {
      await removeDirectoriesQuietly(this.fs, created);
      throw error;
    }
  }

  private async uninstallUnlocked(): Promise<void> {
    const plan = await planUserConfig(this.fs, this.paths.userConfig, { kind: 'remove' });
    if (plan.changed) {
      await writeFileAtomic(this.fs, plan.target, plan.after, plan.mode);
    }
    try {
      await this.removeManaged();
    } catch (error) {
      if (plan.changed) {
        await writeFileAtomic(this.fs, plan.target, plan.before, plan.mode).catch(() => undefined);
      }
      throw error;
    }
  }

  private async readManaged(): Promise<{ bytes: Buffer | undefined; hosts: ManagedHost[] }> {
    let bytes: Buffer | undefined;
    try {
      bytes = await readFileIfExists(this.fs, this.paths.managedConfig);
    } catch (error) {
      throw new FileReadError(this.paths.managedConfig, error);
    }
    const hosts = bytes === undefined ? [] : parseManagedConfig(bytes.toString('utf8'), this.settings).hosts;
    return { bytes, hosts };
  }

  /** Writes `hosts` over our file, whose content under the lock is `previous`, and the Include block. */
  private async writeAll(
    hosts: readonly ManagedHost[],
    previous: Buffer | undefined,
  ): Promise<{ plan: UserConfigPlan; managedCreated: boolean }> {
    const managed = Buffer.from(renderManagedConfig(hosts, this.settings), 'utf8');
    const includePath = includePathValue(this.paths.managedConfig, this.settings.platform);
    const plan = await planUserConfig(this.fs, this.paths.userConfig, { kind: 'install', includePath });
    await this.commit(managed, previous, plan);
    return { plan, managedCreated: previous === undefined };
  }

  /** Writes our file alone (the Include block is left as it is), unless it already holds `hosts`. */
  private async commitManaged(hosts: readonly ManagedHost[], previous: Buffer | undefined): Promise<void> {
    const managed = Buffer.from(renderManagedConfig(hosts, this.settings), 'utf8');
    if (previous === undefined || !previous.equals(managed)) {
      await writeFileAtomic(this.fs, this.paths.managedConfig, managed, PRIVATE_FILE_MODE);
    }
  }

  private async removeManaged(): Promise<void> {
    try {
      await this.fs.unlink(this.paths.managedConfig);
    } catch (error) {
      if (!isNotFound(error)) {
        throw new FileWriteError(this.paths.managedConfig, path.dirname(this.paths.managedConfig), error);
      }
    }
  }

  /**
   * Undoes our own Include edit: the exact previous bytes when the file is still as we left it
   * (deleting a file we created), else just our block.
   */
  private async removeOwnInclude(added: NonNullable<HostChange['includeAdded']>): Promise<void> {
    let now: Buffer | undefined;
    try {
      now = await readFileIfExists(this.fs, added.target);
    } catch {
      now = undefined;
    }
    if (now !== undefined && now.equals(added.after)) {
      if (added.before === undefined) {
        await this.fs.unlink(added.target).catch((error: unknown) => {
          throw new FileWriteError(added.target, path.dirname(added.target), error);
        });
      } else {
        await writeFileAtomic(this.fs, added.target, added.before, added.mode);
      }
      return;
    }
    const plan = await planUserConfig(this.fs, this.paths.userConfig, { kind: 'remove' });
    if (plan.changed) {
      await writeFileAtomic(this.fs, plan.target, plan.after, plan.mode);
    }
  }

  /** Writes our file, then the user's config; on failure restores our file and removes new dirs. */
  private async commit(managed: Buffer, previous: Buffer | undefined, plan: UserConfigPlan): Promise<void> {
    const managedChanged = previous === undefined || !previous.equals(managed);
    const createdDirs: string[] = [];
    let managedWritten = false;
    try {
      const managedDir = path.dirname(this.paths.managedConfig);
      createdDirs.push(...(await createDirectoryTracked(this.fs, managedDir, PRIVATE_DIR_MODE)));
      if (managedChanged) {
        await this.fs.chmod(managedDir, PRIVATE_DIR_MODE).catch((error: unknown) => {
          throw new FileWriteError(managedDir, path.dirname(managedDir), error);
        });
        await writeFileAtomic(this.fs, this.paths.managedConfig, managed, PRIVATE_FILE_MODE);
        managedWritten = true;
      }
      if (plan.changed) {
        createdDirs.push(
          ...(await createDirectoryTracked(this.fs, path.dirname(plan.target), PRIVATE_DIR_MODE)),
        );
        await writeFileAtomic(this.fs, plan.target, plan.after, plan.mode);
      }
    } catch (error) {
      if (managedWritten) {
        await this.restoreManaged(previous);
      }
      await removeDirectoriesQuietly(this.fs, createdDirs);
      throw error;
    }
  }

  private async restoreManaged(previous: Buffer | undefined): Promise<void> {
    if (previous === undefined) {
      await removeQuietly(this.fs, this.paths.managedConfig);
      return;
    }
    await writeFileAtomic(this.fs, this.paths.managedConfig, previous, PRIVATE_FILE_MODE).catch(
      () => undefined,
    );
  }
}

function sameHost(a: ManagedHost, b: ManagedHost): boolean {
  return (
    a.alias === b.alias &&
    a.hostName === b.hostName &&
    a.user === b.user &&
    a.identityFile === b.identityFile &&
    a.proxyCommand.length === b.proxyCommand.length &&
    a.proxyCommand.every((word, i) => word === b.proxyCommand[i])
  );
}
