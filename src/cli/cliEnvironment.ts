import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { AwsAccess } from '../aws/awsAccess';
import type { AwsConnection } from '../aws/awsAccess';
import { HostRegistry } from '../connect/hostRegistry';
import type { HostDependencies } from '../connect/ensureHostReady';
import { keyDirectory } from '../connect/prepareSshHost';
import { localSshConfigPaths, sshConfigPaths } from '../ssh/config/sshConfigPaths';
import type { SshConfigPaths } from '../ssh/config/sshConfigPaths';
import { KnownHostsFile } from '../ssh/knownHosts/knownHostsFile';
import { SshKeyStore } from '../ssh/keys/keyStore';
import type { Logger, LogLevel } from '../util/logger';
import { createStderrLogger, logLevelOf } from './stderrLogger';
import type { CliAwsOptions } from './cliTarget';

/** What every command gets: the process's streams and environment (tests pass their own). */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

/** Keys, hosts.json and the launcher when the CLI is used on its own (the extension passes its global storage). */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'sagemaker-ssh');
}

/**
 * The CLI's stderr logger: --log-level / -v, else SM_SSH_LOG_LEVEL, else the command's default
 * (info for config and connect, so their progress shows; warn for the rest). An unknown level is a
 * usage error.
 */
export function cliLogger(
  options: CliAwsOptions,
  env: NodeJS.ProcessEnv,
  write: (text: string) => void,
  defaultLevel: LogLevel = 'warn',
): Logger {
  return createStderrLogger(logLevelOf(options.logLevel, env, defaultLevel), write);
}

export async function cliConnection(
  options: CliAwsOptions,
  logger: Logger,
  env: NodeJS.ProcessEnv,
): Promise<AwsConnection> {
  return new AwsAccess({ logger, env }).connect({
    profile: options.profile,
    region: options.region,
    surface: 'cli',
  });
}

/** Our ssh files; the user's config is ~/.ssh/config unless --ssh-config or SM_SSH_CONFIG_FILE names another. */
export function cliConfigPaths(options: CliAwsOptions, env: NodeJS.ProcessEnv): SshConfigPaths {
  return localSshConfigPaths(options.sshConfig ?? env.SM_SSH_CONFIG_FILE);
}

export function hostDependencies(
  connection: AwsConnection,
  stateDir: string,
  logger: Logger,
): HostDependencies {
  return {
    connection,
    keys: new SshKeyStore({ directory: keyDirectory(stateDir), logger }),
    knownHosts: new KnownHostsFile({ path: sshConfigPaths({ homeDir: os.homedir() }).knownHosts }),
    registry: new HostRegistry(stateDir),
    logger,
  };
}
