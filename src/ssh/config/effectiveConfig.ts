import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFileSystem } from '../../util/fs/fileSystem';
import type { SshFileSystem } from '../../util/fs/fileSystem';
import { tokenPathValue, untokenPathValue } from './configValues';
import type { ConfigPlatform } from './configValues';
import { locateOverridingDirective } from './conflictLocator';
import {
  SshConfigConflictError,
  SshConfigNotReadError,
  SshConfigSyntaxError,
  SshNotFoundError,
} from './errors';
import type { ConfigLocation, EffectiveOptionConflict } from './errors';
import type { ManagedHost } from './managedConfig';
import { execFileRunner } from './processRunner';
import type { ProcessRunner } from './processRunner';
import { proxyCommandText } from '../../proxy/proxyCommandText';
import type { SshConfigPaths } from './sshConfigPaths';

export interface VerifyTarget {
  readonly paths: SshConfigPaths;
  readonly platform: ConfigPlatform;
  /** The host as our file defines it (SshConfigStore.getHost / upsertHost). */
  readonly host: ManagedHost;
}

export interface VerifyOptions {
  /** The ssh binary (remote.SSH.path). Default "ssh". */
  readonly sshPath?: string;
  readonly runner?: ProcessRunner;
  readonly fs?: SshFileSystem;
  readonly homeDir?: string;
  readonly localUser?: string;
  readonly timeoutMs?: number;
}

type Comparison = 'equal' | 'first' | 'first-file';

interface Expectation {
  readonly option: string;
  readonly key: string;
  readonly value: string;
  readonly comparison: Comparison;
}

const DEFAULT_TIMEOUT_MS = 15_000;

function expectations(target: VerifyTarget): Expectation[] {
  const { host, platform, paths } = target;
  return [
    {
      option: 'ProxyCommand',
      key: 'proxycommand',
      value: proxyCommandText(host.proxyCommand, platform),
      comparison: 'equal',
    },
    { option: 'User', key: 'user', value: host.user, comparison: 'equal' },
    {
      option: 'IdentityFile',
      key: 'identityfile',
      value: tokenPathValue(host.identityFile, platform),
      comparison: 'first',
    },
    {
      option: 'UserKnownHostsFile',
      key: 'userknownhostsfile',
      value: tokenPathValue(paths.knownHosts, platform),
      comparison: 'first-file',
    },
    { option: 'StrictHostKeyChecking', key: 'stricthostkeychecking', value: 'true', comparison: 'equal' },
    { option: 'HostKeyAlias', key: 'hostkeyalias', value: host.hostName, comparison: 'equal' },
    { option: 'HostName', key: 'hostname', value: host.hostName, comparison: 'equal' },
    { option: 'IdentitiesOnly', key: 'identitiesonly', value: 'yes', comparison: 'equal' },
  ];
}

/** `ssh -G` output: keyword → values in order. */
export function parseSshDashG(stdout: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const line of stdout.split(/\r?\n/)) {
    const space = line.indexOf(' ');
    if (space > 0) {
      const key = line.slice(0, space).toLowerCase();
      values.set(key, [...(values.get(key) ?? []), line.slice(space + 1)]);
    }
  }
  return values;
}

/** The ProxyCommand as ssh would run it for `host` (%h, %n, %p, %r expanded). */
function expandedProxyCommand(text: string, host: ManagedHost): string {
  const values: Record<string, string> = { h: host.hostName, n: host.alias, p: '22', r: host.user, '%': '%' };
  return text.replace(/%([hnpr%])/g, (_, token: string) => values[token]);
}

function satisfied(
  expectation: Expectation,
  actual: readonly string[] | undefined,
  host: ManagedHost,
): boolean {
  const first = actual?.[0];
  if (first === undefined) {
    return false;
  }
  // Depending on the OpenSSH version, ssh -G prints values as written (%% escaped, tokens kept)
  // or expanded.
  const accepted = [expectation.value, untokenPathValue(expectation.value)];
  if (expectation.key === 'proxycommand') {
    accepted.push(expandedProxyCommand(expectation.value, host));
  }
  if (expectation.comparison === 'first-file') {
    return accepted.some((value) => first === value || first.startsWith(`${value} `));
  }
  return accepted.includes(first);
}

export function sshConfigErrorLocation(stderr: string): ConfigLocation | undefined {
  const match = /^(.+?):? line (\d+):/m.exec(stderr);
  return match === null ? undefined : { file: match[1], line: Number(match[2]) };
}

/** The config files `ssh -v` says it read ("debug1: Reading configuration data <file>"), in order. */
export function configFilesRead(stderr: string): string[] {
  const files: string[] = [];
  for (const match of stderr.matchAll(/^debug\d: Reading configuration data (.+?)\r?$/gm)) {
    files.push(match[1]);
  }
  return files;
}

interface DashGResult {
  readonly effective: Map<string, string[]>;
  /** Undefined when this ssh does not report the files it reads. */
  readonly filesRead: readonly string[] | undefined;
}

async function runSshDashG(target: VerifyTarget, options: VerifyOptions): Promise<DashGResult> {
  const sshPath = options.sshPath ?? 'ssh';
  let result;
  try {
    result = await (options.runner ?? execFileRunner)(
      sshPath,
      ['-v', ...target.paths.sshArgs, '-G', target.host.alias],
      { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS },
    );
  } catch (error) {
    throw new SshNotFoundError(sshPath, error);
  }
  if (result.exitCode !== 0) {
    const stderr = result.exitCode === null ? `ssh -G did not finish. ${result.stderr}` : result.stderr;
    const errors = stderr
      .split(/\r?\n/)
      .filter((line) => !/^(debug\d: |OpenSSH_)/.test(line))
      .join('\n');
    throw new SshConfigSyntaxError(errors, sshConfigErrorLocation(errors), target.paths.userConfig);
  }
  const filesRead = configFilesRead(result.stderr);
  return {
    effective: parseSshDashG(result.stdout),
    filesRead: filesRead.length > 0 || /^debug\d: /m.test(result.stderr) ? filesRead : undefined,
  };
}

/** Throws SshConfigNotReadError when ssh evidently never read our file (so none of our options apply). */
function checkManagedConfigRead(
  target: VerifyTarget,
  filesRead: readonly string[] | undefined,
  proxyCommandFailed: boolean,
): void {
  // Our ProxyCommand in effect proves ssh read our file; without the -v lines there is nothing to go on.
  if (filesRead === undefined || !proxyCommandFailed) {
    return;
  }
  const normal = (file: string): string =>
    process.platform === 'win32' ? path.resolve(file).toLowerCase() : path.resolve(file);
  const wasRead = (file: string): boolean => filesRead.some((read) => normal(read) === normal(file));
  if (wasRead(target.paths.managedConfig)) {
    return;
  }
  throw new SshConfigNotReadError({
    alias: target.host.alias,
    filesRead,
    userConfigRead: wasRead(target.paths.userConfig),
    userConfig: target.paths.userConfig,
    managedConfig: target.paths.managedConfig,
    passedConfigFile: target.paths.customUserConfig,
    homeDir: target.paths.homeDir,
    sshHomeDir: target.paths.sshHomeDir,
  });
}

/**
 * Asks the real `ssh -G <alias>` (with `-F <user config>` when Remote-SSH would pass it) which
 * options are in effect, and checks that ours win: ProxyCommand, User, IdentityFile,
 * UserKnownHostsFile, StrictHostKeyChecking, HostKeyAlias, HostName, IdentitiesOnly, and no
 * ProxyJump. Throws SshConfigConflictError naming the user's overriding line, or
 * SshConfigSyntaxError / SshNotFoundError when ssh cannot evaluate the config.
 */
export async function verifyEffectiveConfig(
  target: VerifyTarget,
  options: VerifyOptions = {},
): Promise<void> {
  const { effective, filesRead } = await runSshDashG(target, options);
  const failed: Array<{ option: string; expected: string; actual: string | undefined }> = [];
  const proxyJump = effective.get('proxyjump')?.[0];
  if (proxyJump !== undefined && proxyJump !== 'none') {
    failed.push({ option: 'ProxyJump', expected: 'none', actual: proxyJump });
  }
  for (const expectation of expectations(target)) {
    const actual = effective.get(expectation.key);
    if (!satisfied(expectation, actual, target.host)) {
      failed.push({ option: expectation.option, expected: expectation.value, actual: actual?.[0] });
    }
  }
  if (failed.length === 0) {
    return;
  }
  checkManagedConfigRead(
    target,
    filesRead,
    failed.some((failure) => failure.option === 'ProxyCommand'),
  );
  const homeDir = options.homeDir ?? target.paths.sshHomeDir;
  const locate = {
    fs: options.fs ?? nodeFileSystem,
    homeDir,
    alias: target.host.alias,
    hostName: target.host.hostName,
    managedConfig: target.paths.managedConfig,
    localUser: options.localUser ?? os.userInfo().username,
  };
  const conflicts: EffectiveOptionConflict[] = [];
  for (const failure of failed) {
    const source = await locateOverridingDirective(target.paths.userConfig, [failure.option], locate);
    conflicts.push({ ...failure, source });
  }
  throw new SshConfigConflictError(target.host.alias, conflicts, target.paths.userConfig);
}
