import { createHash } from 'node:crypto';
import { SsmApi } from '../ssm/ssmApi';
import type { HyperPodNodeTarget } from '../targets/hyperPodNode';
import { HYPERPOD_USER } from '../targets/hyperPodNode';
import { NoHostKeysError } from './connectErrors';
import type { HostDependencies, ReadyHost, ReadyOptions } from './ensureHostReady';
import type { HostRecord } from './hostRegistry';
import { NoHyperPodLoginUserError } from './hyperPodErrors';
import { HYPERPOD_INSTALL_KEY_SCRIPT, hyperPodInstallKeyData, NO_LOGIN_USER_STATUS } from './hyperPodScripts';
import { clearKeyRejection, isRejectionOf, readKeyRejection } from './keyRejections';
import { parseHostKeys } from './remoteScripts';
import { recentlySeenHyperPodNode, resolveHyperPodNode } from './resolveHyperPodNode';
import type { ReachableHyperPodNode, SeenHyperPodNode } from './resolveHyperPodNode';
import { runShellScript } from './shellScript';
import { ShellScriptFailedError } from './shellScriptErrors';

export interface HyperPodReadyOptions extends Pick<
  ReadyOptions,
  'trustRecordForMs' | 'forcePush' | 'signal'
> {
  /** What the HyperPod view showed for the node. */
  readonly seenHyperPod?: SeenHyperPodNode;
}

function sha256(text: string): string {
  return createHash('sha256').update(`${text.trim()}\n`).digest('hex');
}

/**
 * ensureHostReady for a HyperPod node: AWS's agent runs there, so there is no Run Command; our key
 * goes into the login user's authorized_keys over an SSM shell session (runShellScript), which
 * also returns the host keys to pin. The record keeps the node's `sagemaker-cluster:` target as
 * its instance id, which is what the ProxyCommand's AWS-StartSSHSession needs. A first connection
 * from the tree is one shell session; from an alias, DescribeCluster + DescribeClusterNode first.
 */
export async function ensureHyperPodHostReady(
  deps: HostDependencies,
  alias: string,
  target: HyperPodNodeTarget,
  options: HyperPodReadyOptions = {},
): Promise<ReadyHost> {
  const key = await deps.keys.ensureKey(alias);
  const publicKey = key.keyPair.publicKeyLine;
  const keySha256 = sha256(publicKey);
  const [record, pinned, rejection] = await Promise.all([
    deps.registry.get(alias),
    deps.knownHosts.hostKeys(alias).then((keys) => keys.length > 0),
    readKeyRejection(deps.registry.stateDir, alias),
  ]);
  const rejected = record !== undefined && isRejectionOf(rejection, record);
  const mustPush = options.forcePush === true || rejected || !pinned;
  const trust = options.trustRecordForMs;
  if (
    !mustPush &&
    record?.keySha256 === keySha256 &&
    trust !== undefined &&
    Date.now() - Date.parse(record.updatedAt) < trust
  ) {
    return { alias, instanceId: record.instanceId, identityFile: key.privateKeyPath, pushed: false, record };
  }
  const node: ReachableHyperPodNode =
    recentlySeenHyperPodNode(target, options.seenHyperPod) ??
    (await resolveHyperPodNode(deps.connection, target));
  const instanceId = node.ssmTarget;
  if (!mustPush && record?.instanceId === instanceId && record.keySha256 === keySha256) {
    const kept = { ...record, updatedAt: new Date().toISOString() };
    await deps.registry.set(kept);
    return { alias, instanceId, identityFile: key.privateKeyPath, pushed: false, record: kept };
  }
  deps.logger.info(
    `${alias}: installing the SSH key ${key.keyPair.fingerprint} for ${HYPERPOD_USER} on ${instanceId}`,
  );
  const hostKeys = await installHyperPodKey(deps, node, {
    publicKey,
    fingerprint: key.keyPair.fingerprint,
    replacesFingerprint: record?.instanceId === instanceId ? record.keyFingerprint : undefined,
    signal: options.signal?.abortSignal,
  });
  if (hostKeys.length === 0) throw new NoHostKeysError(instanceId);
  await deps.knownHosts.setHostKeys(alias, hostKeys);
  const installed: HostRecord = {
    alias,
    target: node.target,
    instanceId,
    keySha256,
    keyFingerprint: key.keyPair.fingerprint,
    updatedAt: new Date().toISOString(),
  };
  await deps.registry.set(installed);
  await clearKeyRejection(deps.registry.stateDir, alias);
  return { alias, instanceId, identityFile: key.privateKeyPath, pushed: true, record: installed };
}

async function installHyperPodKey(
  deps: HostDependencies,
  node: ReachableHyperPodNode,
  request: {
    readonly publicKey: string;
    readonly fingerprint: string;
    readonly replacesFingerprint?: string;
    readonly signal?: AbortSignal;
  },
): Promise<string[]> {
  const api = await SsmApi.forConnection(deps.connection);
  try {
    const result = await runShellScript({
      api,
      target: node.ssmTarget,
      script: HYPERPOD_INSTALL_KEY_SCRIPT,
      data: hyperPodInstallKeyData(request),
      purpose: 'Installing the SSH public key',
      signal: request.signal,
      log: deps.logger,
    });
    return parseHostKeys(result.output);
  } catch (error) {
    if (error instanceof ShellScriptFailedError && error.exitCode === NO_LOGIN_USER_STATUS) {
      throw new NoHyperPodLoginUserError(node.target.instanceId, HYPERPOD_USER);
    }
    throw error;
  }
}
