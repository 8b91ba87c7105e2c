import { spawn } from 'node:child_process';
import { prepareSshHost } from '../connect/prepareSshHost';
import type { CliIo } from '../ssm/cli/run-cli';
import { CancellationSource } from '../util/sleep';
import { cliConfigPaths, cliConnection, cliLogger, defaultStateDir } from './cliEnvironment';
import { cliProxyInstall } from './cliProxyInstall';
import { parseHostCommand } from './cliTarget';

/** What `connect` does after preparing the host: run ssh (overridable for tests). */
export type SshRunner = (sshArgs: readonly string[], io: CliIo) => Promise<number>;

export const interactiveSsh: SshRunner = (sshArgs) =>
  new Promise((resolve, reject) => {
    const child = spawn('ssh', [...sshArgs], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });

/**
 * `sm-ssh connect <alias> [ssh args…]`: waits for the container, installs the key, writes the ssh
 * host (and the stable alias) into our config, then runs `ssh <alias> …`. Afterwards plain
 * `ssh <alias>` works from any terminal.
 */
export async function runConnect(
  args: string[],
  io: CliIo,
  runSsh: SshRunner = interactiveSsh,
): Promise<number> {
  const options = parseHostCommand('connect', args);
  const logger = cliLogger({ logLevel: options.logLevel ?? 'info', ...options }, io.env, (text) =>
    io.stderr.write(text),
  );
  const stateDir = options.stateDir ?? defaultStateDir(io.env);
  const connection = await cliConnection(options, logger, io.env);
  const configPaths = cliConfigPaths(options, io.env);
  const cancellation = new CancellationSource();
  const onInterrupt = (): void => cancellation.cancel();
  process.once('SIGINT', onInterrupt);
  try {
    const prepared = await prepareSshHost(
      {
        connection,
        install: cliProxyInstall(stateDir),
        configPaths,
        logger,
      },
      {
        target: options.host.target,
        node: options.host.node,
        waitSeconds: 600,
        signal: cancellation,
        onWaiting: (message) => logger.info(message),
      },
    );
    await prepared.ready.cleanup;
    logger.info(`ssh ${prepared.alias} is ready (${prepared.ready.instanceId}).`);
    return await runSsh([...configPaths.sshArgs, prepared.alias, ...options.rest], io);
  } catch (error) {
    throw connection.translate(error);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
