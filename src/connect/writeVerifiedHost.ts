import type { ManagedHost } from '../ssh/config/managedConfig';
import { verifyEffectiveConfig } from '../ssh/config/effectiveConfig';
import { SshConfigStore } from '../ssh/config/sshConfigStore';
import type { ResolvedTarget } from '../targets/sshTarget';
import { proxyCommandArgv } from '../proxy/proxyArgv';
import type { ConnectEnvironment } from './prepareSshHost';

export interface VerifiedHostRequest {
  readonly alias: string;
  readonly target: ResolvedTarget;
  readonly identityFile: string;
  readonly user: string;
}

/**
 * Writes the ssh host for `alias` (our per-host key, the login user, our ProxyCommand for `target`)
 * and checks with `ssh -G` that ssh sees it as written. If not, only this change is taken back:
 * other windows or sm-ssh runs may have written hosts meanwhile.
 */
export async function writeVerifiedHost(
  env: Pick<ConnectEnvironment, 'connection' | 'install' | 'configPaths' | 'sshPath'>,
  request: VerifiedHostRequest,
): Promise<ManagedHost> {
  const store = new SshConfigStore({ paths: env.configPaths });
  const change = await store.addHost({
    alias: request.alias,
    identityFile: request.identityFile,
    user: request.user,
    proxyCommand: proxyCommandArgv(env.install, {
      alias: request.alias,
      target: request.target,
      profile: env.connection.context.profile.value,
      region: env.connection.clients.region,
    }),
  });
  try {
    await verifyEffectiveConfig(
      { paths: env.configPaths, platform: store.platform, host: change.host },
      { sshPath: env.sshPath },
    );
  } catch (error) {
    await store.revertHost(change);
    throw error;
  }
  return change.host;
}
