import { ensureHostReady, forgetInstance } from '../connect/ensureHostReady';
import type { ReadyHost } from '../connect/ensureHostReady';
import { recordKeyRejection } from '../connect/keyRejections';
import { TunnelObserver, observeTunnel } from '../connect/tunnelObserver';
import type { CliIo } from '../ssm/cli/runCli';
import { runStartedSession } from '../ssm/cli/runCli';
import { TargetNotConnectedError } from '../ssm/cli/cliErrors';
import { SsmApi } from '../ssm/cli/ssmApi';
import type { LogLevel } from '../util/logger';
import { parseLogLevel } from '../ssm/cli/stderrLogger';
import { cliConnection, cliLogger, defaultStateDir, hostDependencies } from './cliEnvironment';
import { parseHostCommand } from './cliTarget';

/** A record this young is trusted without asking AWS where the instance is (saves two round trips). */
const trustRecordForMs = 10 * 60_000;
/** How long a ProxyCommand waits for a container that is registering or reconnecting. */
const proxyWaitSeconds = 20;

/**
 * `sm-ssh start-proxy <alias> …`: the ssh ProxyCommand. Finds the instance (or trusts the last
 * one), installs our key if the container lacks it, and tunnels stdin/stdout to its sshd through
 * an SSM session with our own client. Only tunnel bytes reach stdout.
 */
export async function runStartProxy(args: string[], io: CliIo): Promise<number> {
  const options = parseHostCommand('start-proxy', args);
  const logger = cliLogger(options, io.env, (text) => io.stderr.write(text));
  const stateDir = options.stateDir ?? defaultStateDir(io.env);
  const connection = await cliConnection(options, logger, io.env);
  const deps = hostDependencies(connection, stateDir, logger);
  const { alias, target } = options.host;
  // One connection for the lookup and the session: credentials (SSO, credential_process) resolve once.
  const api = await SsmApi.forConnection(connection);
  api.warmUp();
  const session = async (ready: ReadyHost): Promise<number> => {
    const observer = new TunnelObserver();
    const tunnel = observeTunnel(io.stdin, io.stdout, observer);
    const code = await runStartedSession(
      {
        profile: options.profile,
        region: connection.clients.region,
        request: {
          Target: ready.instanceId,
          DocumentName: 'AWS-StartSSHSession',
          Parameters: { portNumber: ['22'] },
        },
        usePlugin: false,
        pluginCommand: 'session-manager-plugin',
        signUpgrade: false,
        logLevel: (parseLogLevel(options.logLevel ?? io.env.SM_SSH_LOG_LEVEL) ?? 'warn') as LogLevel,
      },
      { kind: 'stdio' },
      { ...io, stdin: tunnel.input, stdout: tunnel.output },
      api,
    );
    logger.debug(`${alias}: the tunnel ended after ${observer.turns} turn(s)`);
    if (observer.looksLikeRefusedLogin()) {
      // The next connection (Remote-SSH's retry, the next ssh) installs the key again, once.
      logger.warn(
        `${alias}: the ssh login ended like a refused key; the next connection installs the key again.`,
      );
      await recordKeyRejection(stateDir, ready.record);
    }
    return code;
  };
  const ready = await ensureHostReady(deps, alias, target, {
    waitSeconds: proxyWaitSeconds,
    trustRecordForMs,
  });
  try {
    return await session(ready);
  } catch (error) {
    if (!(error instanceof TargetNotConnectedError) || ready.node) {
      throw error;
    }
    logger.info(`${ready.instanceId} is not connected any more; looking the container up again.`);
    await forgetInstance(deps.registry, alias);
    const fresh = await ensureHostReady(deps, alias, target, { waitSeconds: proxyWaitSeconds });
    return session(fresh);
  }
}
