import * as os from 'node:os';
import * as path from 'node:path';

export interface SshConfigPaths {
  /** The user's config we add our Include block to: remote.SSH.configFile, else the file OpenSSH reads. */
  readonly userConfig: string;
  /** Our hosts, e.g. ~/.ssh/sagemaker-ssh/config (directory 0700, file 0600). */
  readonly managedConfig: string;
  /** Our pinned host keys, next to managedConfig. */
  readonly knownHosts: string;
  /** True when a config file is set: Remote-SSH (and so every ssh we run) passes `-F <userConfig>`. */
  readonly customUserConfig: boolean;
  /** The arguments that make ssh read userConfig: `-F <userConfig>` for a custom config, else none. */
  readonly sshArgs: readonly string[];
  /** $HOME, which our own files and a ~ in the setting use. */
  readonly homeDir: string;
  /** The home directory OpenSSH uses for ~ (the passwd entry's, not $HOME). */
  readonly sshHomeDir: string;
}

export interface SshConfigPathsOptions {
  /** $HOME (os.homedir()): our managed files live under it and a ~ in the setting expands to it. */
  readonly homeDir: string;
  /**
   * The home directory OpenSSH reads ~/.ssh/config from: the passwd entry's (os.userInfo().homedir),
   * which differs from $HOME when HOME is overridden. Default: homeDir.
   */
  readonly sshHomeDir?: string;
  /** The remote.SSH.configFile setting as the user typed it (may start with ~). */
  readonly configFileSetting?: string;
  /** Directory for our config and known_hosts. Default: <home>/.ssh/sagemaker-ssh. */
  readonly managedDir?: string;
}

/** Expands a leading ~ and resolves a relative path against the home directory (also normalises it). */
export function expandHomePath(value: string, homeDir: string): string {
  if (value === '~') {
    return path.resolve(homeDir);
  }
  if (value.startsWith('~/') || value.startsWith('~\\')) {
    return path.resolve(homeDir, value.slice(2));
  }
  return path.resolve(homeDir, value);
}

/** The home directory OpenSSH uses (getpwuid), or $HOME when the passwd database has no entry for us. */
export function opensshHomeDir(userInfo: () => { homedir: string } = os.userInfo): string {
  try {
    const { homedir } = userInfo();
    return homedir === '' ? os.homedir() : homedir;
  } catch {
    return os.homedir();
  }
}

export function sshConfigPaths(options: SshConfigPathsOptions): SshConfigPaths {
  const sshHomeDir = path.resolve(options.sshHomeDir ?? options.homeDir);
  const setting = options.configFileSetting?.trim() ?? '';
  const customUserConfig = setting !== '';
  // Without -F, OpenSSH reads ~/.ssh/config of the passwd entry's home, whatever $HOME says.
  const userConfig = customUserConfig
    ? expandHomePath(setting, options.homeDir)
    : path.join(sshHomeDir, '.ssh', 'config');
  const managedDir = options.managedDir ?? path.join(options.homeDir, '.ssh', 'sagemaker-ssh');
  return {
    userConfig,
    managedConfig: path.join(managedDir, 'config'),
    knownHosts: path.join(managedDir, 'known_hosts'),
    customUserConfig,
    sshArgs: customUserConfig ? ['-F', userConfig] : [],
    homeDir: options.homeDir,
    sshHomeDir,
  };
}

/** Our paths on this machine: $HOME for our files, the passwd home for the config OpenSSH reads. */
export function localSshConfigPaths(configFileSetting?: string): SshConfigPaths {
  return sshConfigPaths({ homeDir: os.homedir(), sshHomeDir: opensshHomeDir(), configFileSetting });
}
