import type { RemoteDebugNodeTarget } from '../targets/remoteDebugNode';
import { remoteDebugSsmTarget } from '../targets/remoteDebugNode';
import { describeTarget } from '../targets/sshTarget';
import { targetAlias } from '../targets/targetAlias';
import type { ManagedHost } from '../ssh/config/managedConfig';
import { KnownHostsFile } from '../ssh/knownHosts/knownHostsFile';
import { SshKeyStore } from '../ssh/keys/keyStore';
import { SsmApi } from '../ssm/ssmApi';
import type { ShellSessionApi } from '../ssm/shellSessionStart';
import { createHash } from 'node:crypto';
import type { HostDependencies } from './ensureHostReady';
import { HostRegistry } from './hostRegistry';
import type { HostRecord } from './hostRegistry';
import { startNativeSshd } from './nativeSshd';
import { withRemoteDebugDiagnosis } from './remoteDebugErrors';
import type { NativeSshd } from './nativeSshd';
import type { ConnectEnvironment } from './prepareSshHost';
import { keyDirectory } from './prepareSshHost';
import { writeVerifiedHost } from './writeVerifiedHost';

export interface RemoteDebugReady {
  readonly alias: string;
  readonly ssmTarget: string;
  readonly identityFile: string;
  readonly sshd: NativeSshd;
  readonly record: HostRecord;
}

/**
 * Brings up our sshd on a remote-debug node over a shell session (our key installed, its host keys
 * pinned under the alias) and records its port for the ProxyCommand. One StartSession, one script.
 */
export async function readyRemoteDebugNode(
  deps: Pick<HostDependencies, 'keys' | 'knownHosts' | 'registry' | 'logger'>,
  api: ShellSessionApi,
  target: RemoteDebugNodeTarget,
  signal?: AbortSignal,
): Promise<RemoteDebugReady> {
  const alias = targetAlias(target);
  const ssmTarget = remoteDebugSsmTarget(target);
  const key = await deps.keys.ensureKey(alias);
  const sshd = await startNativeSshd({
    api,
    ssmTarget,
    targetName: describeTarget(target),
    publicKey: key.keyPair.publicKeyLine,
    signal,
    log: deps.logger,
  });
  deps.logger.info(
    `${alias}: sshd ${sshd.started ? 'started' : 'already running'} on port ${sshd.port} in ${ssmTarget} (user ${sshd.user}).`,
  );
  await deps.knownHosts.setHostKeys(alias, [...sshd.hostKeys]);
  const record: HostRecord = {
    alias,
    target,
    instanceId: ssmTarget,
    keySha256: createHash('sha256').update(key.keyPair.publicKeyLine).digest('hex'),
    keyFingerprint: key.keyPair.fingerprint,
    remotePort: sshd.port,
    remoteUser: sshd.user,
    updatedAt: new Date().toISOString(),
  };
  await deps.registry.set(record);
  return { alias, ssmTarget, identityFile: key.privateKeyPath, sshd, record };
}

export interface PreparedRemoteDebugHost {
  readonly alias: string;
  readonly target: RemoteDebugNodeTarget;
  readonly host: ManagedHost;
  readonly ready: RemoteDebugReady;
}

/**
 * Connect for a remote-debug node, up to the handoff: sshd up and host keys pinned, the host in our
 * ssh config (User: whoever the session's shell runs as), checked with `ssh -G`.
 */
export async function prepareRemoteDebugHost(
  env: ConnectEnvironment,
  target: RemoteDebugNodeTarget,
  signal?: AbortSignal,
): Promise<PreparedRemoteDebugHost> {
  const keys = new SshKeyStore({ directory: keyDirectory(env.install.stateDir), logger: env.logger });
  const api = await SsmApi.forConnection(env.connection);
  const ready = await withRemoteDebugDiagnosis(env.connection, target, () =>
    readyRemoteDebugNode(
      {
        keys,
        knownHosts: new KnownHostsFile({ path: env.configPaths.knownHosts }),
        registry: new HostRegistry(env.install.stateDir),
        logger: env.logger,
      },
      api,
      target,
      signal,
    ),
  );
  const host = await writeVerifiedHost(env, {
    alias: ready.alias,
    target,
    identityFile: ready.identityFile,
    user: ready.sshd.user,
  });
  return { alias: ready.alias, target, host, ready };
}
