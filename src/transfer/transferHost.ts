import { readFile } from 'node:fs/promises';
import type { AwsConnection } from '../aws/awsAccess';
import { ensureHostReady, forgetInstance } from '../connect/ensureHostReady';
import type { ReadyHost } from '../connect/ensureHostReady';
import { HostRegistry } from '../connect/hostRegistry';
import { keyDirectory } from '../connect/prepareSshHost';
import { resolveOwner } from '../connect/resolveTarget';
import type { SshTarget } from '../targets/sshTarget';
import { loginUser } from '../targets/sshTarget';
import { TargetNotConnectedError } from '../ssm/sessionErrors';
import { SsmApi } from '../ssm/ssmApi';
import { KnownHostsFile } from '../ssh/knownHosts/knownHostsFile';
import { SshKeyStore } from '../ssh/keys/keyStore';
import type { Logger } from '../util/logger';
import type { LinkOpener } from './remoteLink';
import { openSshLink } from './sshLink';
import type { SshEndpoint } from './sshLink';

/** A record this young is trusted without asking AWS where the instance is (as the ProxyCommand does). */
const trustRecordForMs = 10 * 60_000;

export interface TransferHostOptions {
  readonly connection: AwsConnection;
  /** Our state dir (keys, hosts.json). */
  readonly stateDir: string;
  /** Our pinned known_hosts. */
  readonly knownHostsPath: string;
  readonly alias: string;
  readonly target: SshTarget;
  readonly logger: Logger;
  /** Connect's own preparation, for a host that was never connected (no key record or pinned host key). */
  readonly prepare: () => Promise<ReadyHost>;
}

export interface TransferHost {
  readonly instanceId: string;
  readonly openLink: LinkOpener;
}

/**
 * Makes sure the host has our key and pinned host keys (Connect's preparation the first time, the
 * ProxyCommand's cheap check after that), and returns how to open SFTP links to it.
 */
export async function prepareTransferHost(options: TransferHostOptions): Promise<TransferHost> {
  const { alias, logger } = options;
  const registry = new HostRegistry(options.stateDir);
  const knownHosts = new KnownHostsFile({ path: options.knownHostsPath });
  const [record, pinned] = await Promise.all([registry.get(alias), knownHosts.hostKeys(alias)]);
  const readyFromRecord = (trust: boolean): Promise<ReadyHost> =>
    ensureHostReady(
      {
        connection: options.connection,
        keys: new SshKeyStore({ directory: keyDirectory(options.stateDir), logger }),
        knownHosts,
        registry,
        logger,
      },
      alias,
      options.target,
      { waitSeconds: 20, ...(trust ? { trustRecordForMs } : {}) },
    );
  const prepared = !record || pinned.length === 0;
  const ready = prepared ? await options.prepare() : await readyFromRecord(true);
  const [api, target] = await Promise.all([
    SsmApi.forConnection(options.connection),
    resolveOwner(options.connection, options.target),
  ]);
  const endpointOf = async (host: ReadyHost): Promise<SshEndpoint> => ({
    alias,
    instanceId: host.instanceId,
    username: loginUser(target),
    privateKey: await readFile(host.identityFile),
    hostKeys: await knownHosts.hostKeys(alias),
  });
  let endpoint = await endpointOf(ready);
  // A record trusted without asking AWS may name an instance that is gone (the container restarted and
  // registered anew): the first link that finds it not connected looks the container up once, for all.
  let lookedUpAgain: Promise<void> | undefined;
  const lookUpAgain = (): Promise<void> =>
    (lookedUpAgain ??= (async () => {
      logger.info(`${endpoint.instanceId} is not connected any more; looking the container up again.`);
      await forgetInstance(registry, alias);
      endpoint = await endpointOf(await readyFromRecord(false));
    })());
  let ids = 0;
  return {
    instanceId: ready.instanceId,
    openLink: async (signal) => {
      const id = ++ids;
      try {
        return await openSshLink(api, endpoint, { id, log: logger, signal });
      } catch (error) {
        if (!(error instanceof TargetNotConnectedError) || prepared || ready.node) throw error;
        await lookUpAgain();
        return openSshLink(api, endpoint, { id, log: logger, signal });
      }
    },
  };
}
