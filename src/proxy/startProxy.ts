import type { Readable, Writable } from 'node:stream';
import { ensureHostReady, forgetInstance } from '../connect/ensureHostReady';
import type { HostDependencies, ReadyHost } from '../connect/ensureHostReady';
import { recordKeyRejection } from '../connect/keyRejections';
import type { SshTarget } from '../targets/sshTarget';
import { runSession } from '../ssm/runSession';
import type { SessionCalls } from '../ssm/runSession';
import { TargetNotConnectedError } from '../ssm/sessionErrors';
import { sshSessionRequest } from '../ssm/ssmApi';
import type { SessionEnd } from '../ssm/ssmSession';
import { TunnelObserver, observeTunnel } from './tunnelObserver';

/** A record this young is trusted without asking AWS where the instance is (saves two round trips). */
const trustRecordForMs = 10 * 60_000;
/** How long a ProxyCommand waits for a container that is registering or reconnecting. */
const proxyWaitSeconds = 20;

export interface ProxyHost {
  readonly alias: string;
  readonly target: SshTarget;
}

export interface ProxyStreams {
  readonly input: Readable;
  readonly output: Writable;
}

/**
 * What `ssh <alias>` runs as its ProxyCommand: finds the instance (or trusts the last one),
 * installs our key if the container lacks it, and tunnels `streams` to its sshd through an SSM
 * session. A login that ends like a refused key is recorded, so the next connection installs the
 * key again; an instance that is no longer connected is looked up again, once.
 */
export async function startProxy(
  deps: HostDependencies,
  calls: SessionCalls,
  stateDir: string,
  host: ProxyHost,
  streams: ProxyStreams,
  whileOpen?: (terminate: () => void) => () => void,
): Promise<SessionEnd> {
  const { alias, target } = host;
  const { logger } = deps;
  const tunnel = async (ready: ReadyHost): Promise<SessionEnd> => {
    const observer = new TunnelObserver();
    const observed = observeTunnel(streams.input, streams.output, observer);
    const end = await runSession({
      start: { request: sshSessionRequest(ready.instanceId) },
      calls: async () => calls,
      outlet: { kind: 'stdio', input: observed.input, output: observed.output },
      whileOpen,
      log: logger,
    });
    logger.debug(`${alias}: the tunnel ended after ${observer.turns} turn(s)`);
    if (observer.looksLikeRefusedLogin()) {
      logger.warn(
        `${alias}: the ssh login ended like a refused key; the next connection installs the key again.`,
      );
      await recordKeyRejection(stateDir, ready.record);
    }
    return end;
  };
  const ready = await ensureHostReady(deps, alias, target, {
    waitSeconds: proxyWaitSeconds,
    trustRecordForMs,
  });
  try {
    return await tunnel(ready);
  } catch (error) {
    if (!(error instanceof TargetNotConnectedError) || ready.node) {
      throw error;
    }
    logger.info(`${ready.instanceId} is not connected any more; looking the container up again.`);
    await forgetInstance(deps.registry, alias);
    const fresh = await ensureHostReady(deps, alias, target, { waitSeconds: proxyWaitSeconds });
    return tunnel(fresh);
  }
}
