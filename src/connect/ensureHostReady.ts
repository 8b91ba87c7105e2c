import { createHash } from 'node:crypto';
import type { AwsConnection } from '../aws/awsAccess';
import type { SshNode, SshReadiness } from '../instances/matchSshNodes';
import { isOnline } from '../instances/sshInstance';
import type { SshTarget } from '../instances/sshTarget';
import type { KnownHostsFile } from '../ssh/knownHosts/knownHostsFile';
import type { SshKeyStore } from '../ssh/keys/keyStore';
import { UserFacingError } from '../util/errors';
import type { Logger } from '../util/logger';
import type { HostRecord, HostRegistry } from './hostRegistry';
import type { KeyLocation } from './keyBucket';
import { defaultKeyLocation } from './keyBucket';
import type { UploadedKey } from './pushPublicKey';
import { installUploadedKey, preloadKeyUpload, uploadPublicKey } from './pushPublicKey';
import type { ResolveOptions } from './resolveTarget';
import { pickNode, resolveSshNode } from './resolveTarget';

export class NoHostKeysError extends UserFacingError {
  readonly code = 'NoHostKeys';
  constructor(instanceId: string) {
    super(
      `The container (${instanceId}) reported no SSH host keys, so its identity cannot be pinned. Make sure sshd ` +
        'is installed and started there (sm-setup-ssh does both), then retry.',
    );
  }
}

export interface HostDependencies {
  readonly connection: AwsConnection;
  readonly keys: SshKeyStore;
  readonly knownHosts: KnownHostsFile;
  readonly registry: HostRegistry;
  readonly logger: Logger;
  /** The s3:// location for key uploads; default s3://sagemaker-<region>-<account>/ssh-authorized-keys/. */
  readonly keyLocation?: KeyLocation;
}

export interface ReadyHost {
  readonly alias: string;
  readonly instanceId: string;
  /** The resolved node; undefined when a recent record was trusted without asking AWS. */
  readonly node?: SshNode;
  readonly identityFile: string;
  /** False when the instance already had our key and its host keys were pinned. */
  readonly pushed: boolean;
  /** Resolves once the uploaded key object is deleted again; not on the connection's critical path. */
  readonly cleanup: Promise<void>;
}

export interface ReadyOptions extends ResolveOptions {
  /** Trust the last record for this alias when younger than this, skipping resolution (ProxyCommand). */
  readonly trustRecordForMs?: number;
  readonly forcePush?: boolean;
  /**
   * What the explorer showed for the target. A recent Online registration there is used without
   * looking it up again (two round trips); if SSM no longer knows it, it is looked up after all.
   */
  readonly seen?: Pick<SshReadiness, 'nodes' | 'checkedAt'>;
}

/** How long the explorer's view of the registrations stands in for a fresh lookup. */
const SEEN_FRESH_FOR_MS = 60_000;

function recentlySeenNode(options: ReadyOptions): SshNode | undefined {
  const { seen } = options;
  if (!seen || Date.now() - seen.checkedAt > SEEN_FRESH_FOR_MS) return undefined;
  const node = pickNode(seen.nodes, options.node);
  return node && isOnline(node.instance) ? node : undefined;
}

function isInstanceGone(error: unknown): boolean {
  return (error as { name?: string }).name === 'InvalidInstanceId';
}

function sha256(text: string): string {
  return createHash('sha256').update(`${text.trim()}\n`).digest('hex');
}

async function keyLocation(deps: HostDependencies): Promise<KeyLocation> {
  return (
    deps.keyLocation ??
    defaultKeyLocation(deps.connection.clients.region, (await deps.connection.identity()).account)
  );
}

function isFresh(record: HostRecord | undefined, keySha256: string, maxAgeMs: number | undefined): boolean {
  return (
    maxAgeMs !== undefined &&
    record?.keySha256 === keySha256 &&
    Date.now() - Date.parse(record.updatedAt) < maxAgeMs
  );
}

/**
 * Everything before the tunnel: the instance to reach, our key installed there, its host keys
 * pinned. Cheap when nothing changed since the last connection. On a first connection the key
 * upload runs while the instance is being resolved, to save a round trip.
 */
export async function ensureHostReady(
  deps: HostDependencies,
  alias: string,
  target: SshTarget,
  options: ReadyOptions = {},
): Promise<ReadyHost> {
  if (options.trustRecordForMs === undefined) {
    // Connect nearly always uploads a key: load the S3 client while the key is read or made.
    preloadKeyUpload(deps.connection);
  }
  const key = await deps.keys.ensureKey(alias);
  const publicKey = key.keyPair.publicKeyLine;
  const keySha256 = sha256(publicKey);
  const [record, pinned] = await Promise.all([
    deps.registry.get(alias),
    deps.knownHosts.hostKeys(alias).then((keys) => keys.length > 0),
  ]);
  if (pinned && !options.forcePush && isFresh(record, keySha256, options.trustRecordForMs)) {
    return {
      alias,
      instanceId: record!.instanceId,
      identityFile: key.privateKeyPath,
      pushed: false,
      cleanup: Promise.resolve(),
    };
  }
  let upload: Promise<UploadedKey> | undefined;
  const startUpload = (): Promise<UploadedKey> => {
    upload ??= keyLocation(deps).then((location) =>
      uploadPublicKey(deps.connection, location, alias, publicKey, deps.logger),
    );
    upload.catch(() => undefined);
    return upload;
  };
  if (!record) {
    // A first connection always uploads: start while the instance is being found.
    void startUpload();
  }
  const cleanup = (): Promise<void> =>
    upload
      ? upload.then(
          (uploaded) => uploaded.remove(),
          () => undefined,
        )
      : Promise.resolve();
  const readyOn = async (node: SshNode): Promise<ReadyHost> => {
    const instanceId = node.instance.instanceId;
    const unchanged = record?.instanceId === instanceId && record.keySha256 === keySha256 && pinned;
    if (unchanged && !options.forcePush) {
      deps.logger.debug(`${alias}: ${instanceId} already has our key`);
      await deps.registry.set({ ...record, node: node.name, updatedAt: new Date().toISOString() });
      return { alias, instanceId, node, identityFile: key.privateKeyPath, pushed: false, cleanup: cleanup() };
    }
    const uploaded = await startUpload();
    deps.logger.info(`${alias}: installing the SSH key in ${instanceId}`);
    const hostKeys = await installUploadedKey(deps.connection, {
      instanceId,
      alias,
      key: uploaded,
      signal: options.signal,
    });
    if (hostKeys.length === 0) {
      throw new NoHostKeysError(instanceId);
    }
    await deps.knownHosts.setHostKeys(alias, hostKeys);
    await deps.registry.set({
      alias,
      target,
      node: node.name,
      instanceId,
      keySha256,
      updatedAt: new Date().toISOString(),
    });
    return { alias, instanceId, node, identityFile: key.privateKeyPath, pushed: true, cleanup: cleanup() };
  };
  try {
    const seen = recentlySeenNode(options);
    if (seen) {
      try {
        return await readyOn(seen);
      } catch (error) {
        if (!isInstanceGone(error)) throw error;
        deps.logger.info(
          `${alias}: ${seen.instance.instanceId} is gone since the list was read; looking again`,
        );
      }
    }
    return await readyOn(await resolveSshNode(deps.connection, target, options));
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Forgets the trusted record of an alias, e.g. after StartSession said the instance is gone. */
export async function forgetInstance(registry: HostRegistry, alias: string): Promise<void> {
  const record = await registry.get(alias);
  if (record) {
    await registry.set({ ...record, updatedAt: new Date(0).toISOString() });
  }
}
