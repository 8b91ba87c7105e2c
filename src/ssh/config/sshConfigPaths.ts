import * as path from 'node:path';

export interface SshConfigPaths {
  /** The user's config we add our Include block to (remote.SSH.configFile, else ~/.ssh/config). */
  readonly userConfig: string;
  /** Our hosts, e.g. ~/.ssh/sagemaker-ssh/config (directory 0700, file 0600). */
  readonly managedConfig: string;
  /** Our pinned host keys, next to managedConfig. */
  readonly knownHosts: string;
  /** True when userConfig is not ~/.ssh/config: Remote-SSH then runs `ssh -F <userConfig>`. */
  readonly customUserConfig: boolean;
}

export interface SshConfigPathsOptions {
  readonly homeDir: string;
  /** The remote.SSH.configFile setting as the user typed it (may start with ~). */
  readonly configFileSetting?: string;
  /** Directory for our config and known_hosts. Default: <home>/.ssh/sagemaker-ssh. */
  readonly managedDir?: string;
}

/** Expands a leading ~ and resolves a relative path against the home directory. */
export function expandHomePath(value: string, homeDir: string): string {
  if (value === '~') {
    return homeDir;
  }
  if (value.startsWith('~/') || value.startsWith('~\\')) {
    return path.join(homeDir, value.slice(2));
  }
  return path.resolve(homeDir, value);
}

export function sshConfigPaths(options: SshConfigPathsOptions): SshConfigPaths {
  const defaultConfig = path.join(options.homeDir, '.ssh', 'config');
  const setting = options.configFileSetting?.trim() ?? '';
  const userConfig = setting === '' ? defaultConfig : expandHomePath(setting, options.homeDir);
  const managedDir = options.managedDir ?? path.join(options.homeDir, '.ssh', 'sagemaker-ssh');
  return {
    userConfig,
    managedConfig: path.join(managedDir, 'config'),
    knownHosts: path.join(managedDir, 'known_hosts'),
    customUserConfig: path.resolve(userConfig) !== path.resolve(defaultConfig),
  };
}
