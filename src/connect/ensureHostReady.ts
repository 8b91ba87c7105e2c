import { createHash } from 'node:crypto';
import type { AwsConnection } from '../aws/awsAccess';
import type { SshNode, SshReadiness } from '../instances/matchSshNodes';
import type { SshTarget } from '../targets/sshTarget';
import type { KnownHostsFile } from '../ssh/knownHosts/knownHostsFile';
import type { SshKeyStore } from '../ssh/keys/keyStore';
import { errorName } from '../util/errors';
import type { Logger } from '../util/logger';
import type { HostRecord, HostRegistry } from './hostRegistry';
import { InstanceGoneError, NoHostKeysError } from './connectErrors';
import { clearKeyRejection, isRejectionOf, readKeyRejection } from './keyRejections';
import { installPublicKey } from './pushPublicKey';
import type { ResolveOptions } from './resolveTarget';
import { recentlySeenNode, resolveSshNode } from './resolveTarget';
import { ensureHyperPodHostReady } from './hyperPodHost';
import type { SeenHyperPodNode } from './resolveHyperPodNode';

export interface HostDependencies {
  readonly connection: AwsConnection;
  readonly keys: SshKeyStore;
  readonly knownHosts: KnownHostsFile;
  readonly registry: HostRegistry;
  readonly logger: Logger;
}

export interface ReadyHost {
  readonly alias: string;
  readonly instanceId: string;
  /** The resolved node; undefined when a recent record was trusted without asking AWS. */
  readonly node?: SshNode;
  readonly identityFile: string;
  /** False when the instance already had our key and its host keys were pinned. */
  readonly pushed: boolean;
  /** The record this connection relies on (what a rejected key is reported against). */
  readonly record: HostRecord;
}

export interface ReadyOptions extends ResolveOptions {
  /** Trust the last record for this alias when younger than this, skipping resolution (ProxyCommand). */
  readonly trustRecordForMs?: number;
  /** Install the key even if the record says it is there (sshd refused it). */
  readonly forcePush?: boolean;
  /**
   * What the explorer showed for the target. A recent Online registration there is used without
   * looking it up again (two round trips); if SSM no longer knows it, it is looked up after all.
   */
  readonly seen?: Pick<SshReadiness, 'nodes' | 'checkedAt'>;
  /** What the HyperPod view showed for a HyperPod node. */
  readonly seenHyperPod?: SeenHyperPodNode;
}

function isInstanceGone(error: unknown): boolean {
  return error instanceof InstanceGoneError || errorName(error) === 'InvalidInstanceId';
}

function sha256(text: string): string {
  return createHash('sha256').update(`${text.trim()}\n`).digest('hex');
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
 * pinned. Cheap when nothing changed since the last connection. A record whose key sshd refused
 * (see keyRejections.ts) or `forcePush` installs the key again.
 */
export async function ensureHostReady(
  deps: HostDependencies,
  alias: string,
  target: SshTarget,
  options: ReadyOptions = {},
): Promise<ReadyHost> {
  if (target.kind === 'hyperPodNode') {
    return ensureHyperPodHostReady(deps, alias, target, options);
  }
  const key = await deps.keys.ensureKey(alias);
  const publicKey = key.keyPair.publicKeyLine;
  const keySha256 = sha256(publicKey);
  const [record, pinned, rejection] = await Promise.all([
    deps.registry.get(alias),
    deps.knownHosts.hostKeys(alias).then((keys) => keys.length > 0),
    readKeyRejection(deps.registry.stateDir, alias),
  ]);
  const rejected = record !== undefined && isRejectionOf(rejection, record);
  if (rejected) {
    deps.logger.info(`${alias}: sshd refused our key in ${record.instanceId} last time; installing it again`);
  }
  const mustPush = options.forcePush === true || rejected || !pinned;
  if (!mustPush && isFresh(record, keySha256, options.trustRecordForMs)) {
    return {
      alias,
      instanceId: record!.instanceId,
      identityFile: key.privateKeyPath,
      pushed: false,
      record: record!,
    };
  }
  const readyOn = async (node: SshNode): Promise<ReadyHost> => {
    const instanceId = node.instance.instanceId;
    if (!mustPush && record?.instanceId === instanceId && record.keySha256 === keySha256) {
      deps.logger.debug(`${alias}: ${instanceId} already has our key`);
      const kept = { ...record, node: node.name, updatedAt: new Date().toISOString() };
      await deps.registry.set(kept);
      return { alias, instanceId, node, identityFile: key.privateKeyPath, pushed: false, record: kept };
    }
    deps.logger.info(`${alias}: installing the SSH key ${key.keyPair.fingerprint} in ${instanceId}`);
    const hostKeys = await installPublicKey(deps.connection, {
      instanceId,
      publicKey,
      fingerprint: key.keyPair.fingerprint,
      replacesFingerprint: record?.instanceId === instanceId ? record.keyFingerprint : undefined,
      signal: options.signal,
    });
    if (hostKeys.length === 0) {
      throw new NoHostKeysError(instanceId);
    }
    await deps.knownHosts.setHostKeys(alias, hostKeys);
    const installed: HostRecord = {
      alias,
      target,
      node: node.name,
      instanceId,
      keySha256,
      keyFingerprint: key.keyPair.fingerprint,
      updatedAt: new Date().toISOString(),
    };
    await deps.registry.set(installed);
    await clearKeyRejection(deps.registry.stateDir, alias);
    return { alias, instanceId, node, identityFile: key.privateKeyPath, pushed: true, record: installed };
  };
  const seen = recentlySeenNode(target, options.seen);
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
  return readyOn(await resolveSshNode(deps.connection, target, options));
}

/** Forgets the trusted record of an alias, e.g. after StartSession said the instance is gone. */
export async function forgetInstance(registry: HostRegistry, alias: string): Promise<void> {
  const record = await registry.get(alias);
  if (record) {
    await registry.set({ ...record, updatedAt: new Date(0).toISOString() });
  }
}
