import { spawn } from 'node:child_process';
import { prepareSshHost } from '../connect/prepareSshHost';
import type { CliIo } from '../ssm/cli/run-cli';
import { cliConfigPaths, cliConnection, cliLogger, defaultStateDir } from './cliEnvironment';
import { cliProxyInstall } from './cliProxyInstall';
import { parseHostCommand } from './cliTarget';
import { InterruptScope } from './interruptScope';

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
  const logger = cliLogger(options, io.env, (text) => io.stderr.write(text), 'info');
  const stateDir = options.stateDir ?? defaultStateDir(io.env);
  const configPaths = cliConfigPaths(options, io.env);
  const connection = await cliConnection(options, logger, io.env);
  const scope = new InterruptScope(logger);
  let alias: string;
  try {
    const prepared = await prepareSshHost(
      { connection, install: cliProxyInstall(stateDir), configPaths, logger },
      {
        target: options.host.target,
        node: options.host.node,
        waitSeconds: 600,
        signal: scope.signal,
        onWaiting: (message) => logger.info(message),
      },
    );
    await prepared.ready.cleanup;
    alias = prepared.alias;
    logger.info(`ssh ${alias} is ready (${prepared.ready.instanceId}).`);
  } catch (error) {
    if (scope.exitCode !== undefined) {
      logger.warn('Interrupted; nothing was left behind.');
      return scope.exitCode;
    }
    throw connection.translate(error);
  } finally {
    await scope.dispose();
  }
  if (scope.exitCode !== undefined) {
    return scope.exitCode;
  }
  // ssh gets the terminal's Ctrl-C itself; we wait for it and pass on its exit status.
  const ignore = (): void => undefined;
  process.on('SIGINT', ignore);
  try {
    const config = configPaths.customUserConfig ? ['-F', configPaths.userConfig] : [];
    return await runSsh([...config, alias, ...options.rest], io);
  } finally {
    process.off('SIGINT', ignore);
  }
}
