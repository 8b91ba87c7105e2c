import type { AwsConnection } from '../aws/awsAccess';
import type { ResolvedTarget, SshTarget } from '../targets/sshTarget';
import { loginUser } from '../targets/sshTarget';
import { targetAlias } from '../targets/targetAlias';
import type { SshConfigPaths } from '../ssh/config/sshConfigPaths';
import type { ManagedHost } from '../ssh/config/managedConfig';
import { KnownHostsFile } from '../ssh/knownHosts/knownHostsFile';
import { SshKeyStore } from '../ssh/keys/keyStore';
import { removeStaleTemporaries } from '../util/fs/staleTemporaries';
import * as path from 'node:path';
import type { Logger } from '../util/logger';
import type { CancellationSignal } from '../util/sleep';
import { ensureHostReady } from './ensureHostReady';
import type { ReadyHost, ReadyOptions } from './ensureHostReady';
import { HostRegistry } from './hostRegistry';
import type { ProxyInstall } from '../proxy/proxyArgv';
import { resolveOwner } from './resolveTarget';
import { writeVerifiedHost } from './writeVerifiedHost';

/** Where our files live and how to reach AWS; the same for the extension and the CLI. */
export interface ConnectEnvironment {
  readonly connection: AwsConnection;
  readonly install: ProxyInstall;
  readonly configPaths: SshConfigPaths;
  readonly logger: Logger;
  /** The ssh binary for the `ssh -G` check (remote.SSH.path). */
  readonly sshPath?: string;
}

export interface HostRequest {
  /** A Studio app parsed from an alias (owner kind unknown) is looked up to choose its login user. */
  readonly target: SshTarget;
  readonly waitSeconds?: number;
  readonly signal?: CancellationSignal;
  readonly onWaiting?: (message: string) => void;
  /** The registrations the explorer showed (see ReadyOptions.seen). */
  readonly seen?: ReadyOptions['seen'];
  readonly seenHyperPod?: ReadyOptions['seenHyperPod'];
  /** Install the key even if the record says it is there (sshd refused it). */
  readonly forcePush?: boolean;
}

export interface PreparedHost {
  readonly alias: string;
  /** The target, its owner kind known (so its login user and home folder). */
  readonly target: ResolvedTarget;
  readonly host: ManagedHost;
  readonly ready: ReadyHost;
}

export function keyDirectory(stateDir: string): string {
  return path.join(stateDir, 'keys');
}

/** Removes temporary files that killed runs left next to our ssh files, keys and hosts.json. */
async function sweepStaleTemporaries(env: ConnectEnvironment): Promise<void> {
  const { configPaths, install } = env;
  const removed = await removeStaleTemporaries([
    path.dirname(configPaths.managedConfig),
    path.dirname(configPaths.userConfig),
    install.stateDir,
    keyDirectory(install.stateDir),
  ]);
  removed.forEach((file) => env.logger.debug(`removed ${file}, left by an interrupted run`));
}

/**
 * Connect, up to the handoff: resolve the node, install our key and pin the host keys, write the
 * host into our ssh config (and the stable alias), and check with `ssh -G` that it is effective.
 */
export async function prepareSshHost(env: ConnectEnvironment, request: HostRequest): Promise<PreparedHost> {
  const alias = targetAlias(request.target);
  await sweepStaleTemporaries(env);
  const keys = new SshKeyStore({ directory: keyDirectory(env.install.stateDir), logger: env.logger });
  const knownHosts = new KnownHostsFile({ path: env.configPaths.knownHosts });
  const ready = await ensureHostReady(
    {
      connection: env.connection,
      keys,
      knownHosts,
      registry: new HostRegistry(env.install.stateDir),
      logger: env.logger,
    },
    alias,
    request.target,
    {
      waitSeconds: request.waitSeconds,
      signal: request.signal,
      onWaiting: request.onWaiting,
      seen: request.seen,
      seenHyperPod: request.seenHyperPod,
      forcePush: request.forcePush,
    },
  );
  // A HyperPod node's record knows its cluster id, which the ProxyCommand then need not look up.
  const target =
    ready.record.target.kind === 'hyperPodNode' && request.target.kind === 'hyperPodNode'
      ? ready.record.target
      : await resolveOwner(env.connection, request.target);
  const host = await writeVerifiedHost(env, {
    alias,
    target,
    identityFile: ready.identityFile,
    user: loginUser(target),
  });
  return { alias, target, host, ready };
}
