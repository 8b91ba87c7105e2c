import { readFile } from 'node:fs/promises';
import { prepareSshHost } from '../connect/prepareSshHost';
import type { CliIo } from '../ssm/cli/run-cli';
import { cliConfigPaths, cliConnection, cliLogger, defaultStateDir } from './cliEnvironment';
import { cliProxyInstall } from './cliProxyInstall';
import { parseHostCommand } from './cliTarget';
import { runInterruptible, wasInterrupted } from './interruptScope';

/**
 * `sm-ssh config` prints our ssh config file and where it is included from;
 * `sm-ssh config <alias>` prepares the host (key installed, host keys pinned) and writes it.
 */
export async function runConfig(args: string[], io: CliIo): Promise<number> {
  if (args.length === 0 || args[0] === '--print') {
    const paths = cliConfigPaths({}, io.env);
    const content = await readFile(paths.managedConfig, 'utf8').catch(() => '');
    io.stdout.write(
      `# ${paths.managedConfig} (included from ${paths.userConfig})\n${content || '# no hosts yet\n'}`,
    );
    return 0;
  }
  const options = parseHostCommand('config', args);
  const paths = cliConfigPaths(options, io.env);
  const logger = cliLogger(options, io.env, (text) => io.stderr.write(text), 'info');
  const stateDir = options.stateDir ?? defaultStateDir(io.env);
  const connection = await cliConnection(options, logger, io.env);
  const prepared = await runInterruptible(
    logger,
    (error) => connection.translate(error),
    (signal) =>
      prepareSshHost(
        { connection, install: cliProxyInstall(stateDir), configPaths: paths, logger },
        { target: options.host.target, node: options.host.node, waitSeconds: 0, signal },
      ),
  );
  if (wasInterrupted(prepared)) return prepared.interrupted;
  io.stdout.write(`${prepared.alias}: written to ${paths.managedConfig}; run: ssh ${prepared.alias}\n`);
  return 0;
}
