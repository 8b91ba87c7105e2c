import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { prepareSshHost } from '../connect/prepareSshHost';
import { prepareSpaceHost } from '../connect/prepareSpaceHost';
import type { CliIo } from './cliEnvironment';
import { cliConfigPaths, cliConnection, cliLogger, defaultStateDir } from './cliEnvironment';
import { cliProxyInstall } from '../proxy/cliProxyInstall';
import { parseCommandArgs, parseHostCommand } from './cliTarget';
import { runInterruptible, wasInterrupted } from './interruptScope';

const printOptions = { print: { type: 'boolean' }, 'ssh-config': { type: 'string' } } as const;

/** Whether the arguments name a host (a flag's value is not one: `--ssh-config F` prints F's hosts). */
function hasPositional(args: string[]): boolean {
  const { positionals } = parseArgs({ args, options: printOptions, allowPositionals: true, strict: false });
  return positionals.length > 0;
}

/**
 * `sm-ssh config` prints our ssh config file and where it is included from;
 * `sm-ssh config <alias>` prepares the host (key installed, host keys pinned) and writes it.
 */
export async function runConfig(args: string[], io: CliIo): Promise<number> {
  if (!hasPositional(args)) {
    const { values } = parseCommandArgs('config', args, printOptions);
    const paths = cliConfigPaths({ sshConfig: values['ssh-config'] }, io.env);
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
    (signal): Promise<{ readonly alias: string }> => {
      const env = { connection, install: cliProxyInstall(stateDir), configPaths: paths, logger };
      const { target } = options.host;
      return target.kind === 'studioSpace'
        ? prepareSpaceHost(env, { target, surface: 'cli', signal })
        : prepareSshHost(env, { target, waitSeconds: 0, signal });
    },
  );
  if (wasInterrupted(prepared)) return prepared.interrupted;
  io.stdout.write(`${prepared.alias}: written to ${paths.managedConfig}; run: ssh ${prepared.alias}\n`);
  return 0;
}
