import { startProxy } from '../proxy/startProxy';
import { startRemoteDebugProxy } from '../proxy/remoteDebugProxy';
import { startSpaceProxy } from '../proxy/spaceProxy';
import { SsmApi } from '../ssm/ssmApi';
import type { CliIo } from './cliEnvironment';
import { cliConnection, cliLogger, defaultStateDir, hostDependencies } from './cliEnvironment';
import { parseHostCommand } from './cliTarget';
import { exitCodeOfSessionEnd } from './exitCodes';
import { onEndSignals } from './interruptScope';

/**
 * `sm-ssh start-proxy <alias> …`: the ssh ProxyCommand (see src/proxy/startProxy.ts). Only tunnel
 * bytes reach stdout.
 */
export async function runStartProxy(args: string[], io: CliIo): Promise<number> {
  const options = parseHostCommand('start-proxy', args);
  const logger = cliLogger(options, io.env, (text) => io.stderr.write(text));
  const stateDir = options.stateDir ?? defaultStateDir(io.env);
  const connection = await cliConnection(options, logger, io.env);
  // One connection for the lookup and the session: credentials (SSO, credential_process) resolve once.
  const api = await SsmApi.forConnection(connection);
  api.warmUp();
  const { target } = options.host;
  if (target.kind === 'remoteDebugNode') {
    const end = await startRemoteDebugProxy(
      hostDependencies(connection, stateDir, logger),
      api,
      { alias: options.host.alias, target },
      { input: io.stdin, output: io.stdout },
      onEndSignals,
    );
    return exitCodeOfSessionEnd(end, logger);
  }
  const end =
    target.kind === 'studioSpace'
      ? await startSpaceProxy(
          connection,
          api,
          stateDir,
          { alias: options.host.alias, target },
          { input: io.stdin, output: io.stdout },
          logger,
          onEndSignals,
        )
      : await startProxy(
          hostDependencies(connection, stateDir, logger),
          api,
          stateDir,
          options.host,
          { input: io.stdin, output: io.stdout },
          onEndSignals,
        );
  return exitCodeOfSessionEnd(end, logger);
}
