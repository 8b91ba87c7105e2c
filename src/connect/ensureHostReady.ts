import { createHash } from 'node:crypto';
import type { AwsConnection } from '../aws/awsAccess';
import type { SshNode } from '../instances/matchSshNodes';
import type { SshTarget } from '../instances/sshTarget';
import type { KnownHostsFile } from '../ssh/knownHosts/knownHostsFile';
import type { SshKeyStore } from '../ssh/keys/keyStore';
import { UserFacingError } from '../util/errors';
import type { Logger } from '../util/logger';
import type { HostRegistry } from './hostRegistry';
import type { KeyLocation } from './keyBucket';
import { defaultKeyLocation } from './keyBucket';
import { pushPublicKey } from './pushPublicKey';
import type { ResolveOptions } from './resolveTarget';
import { resolveSshNode } from './resolveTarget';

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
  readonly node: SshNode;
  readonly identityFile: string;
  /** False when the instance already had our key and its host keys were pinned. */
  readonly pushed: boolean;
}

function sha256(text: string): string {
  return createHash('sha256').update(`${text.trim()}\n`).digest('hex');
}

/**
 * Everything before the tunnel: the instance to reach, our key installed there, its host keys
 * pinned. Cheap when nothing changed since the last connection (same instance, same key).
 */
export async function ensureHostReady(
  deps: HostDependencies,
  alias: string,
  target: SshTarget,
  options: ResolveOptions & { readonly forcePush?: boolean } = {},
): Promise<ReadyHost> {
  const [node, key] = await Promise.all([
    resolveSshNode(deps.connection, target, options),
    deps.keys.ensureKey(alias),
  ]);
  const publicKey = key.keyPair.publicKeyLine;
  const keySha256 = sha256(publicKey);
  const record = await deps.registry.get(alias);
  const pinned = (await deps.knownHosts.hostKeys(alias)).length > 0;
  const unchanged =
    record?.instanceId === node.instance.instanceId && record.keySha256 === keySha256 && pinned;
  if (unchanged && !options.forcePush) {
    deps.logger.debug(`${alias}: ${node.instance.instanceId} already has our key`);
    return { alias, node, identityFile: key.privateKeyPath, pushed: false };
  }
  const location =
    deps.keyLocation ??
    defaultKeyLocation(deps.connection.clients.region, (await deps.connection.identity()).account);
  deps.logger.info(`${alias}: installing the SSH key in ${node.instance.instanceId}`);
  const { hostKeys, cleanup } = await pushPublicKey(deps.connection, {
    instanceId: node.instance.instanceId,
    alias,
    publicKey,
    location,
    signal: options.signal,
  });
  if (hostKeys.length === 0) {
    throw new NoHostKeysError(node.instance.instanceId);
  }
  await deps.knownHosts.setHostKeys(alias, hostKeys);
  await deps.registry.set({
    alias,
    target,
    node: node.name,
    instanceId: node.instance.instanceId,
    keySha256,
    updatedAt: new Date().toISOString(),
  });
  await cleanup;
  return { alias, node, identityFile: key.privateKeyPath, pushed: true };
}
