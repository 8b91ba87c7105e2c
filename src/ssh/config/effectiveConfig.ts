import * as os from 'node:os';
import { nodeFileSystem } from '../fs/fileSystem';
import type { SshFileSystem } from '../fs/fileSystem';
import { tokenPathValue, untokenPathValue } from './configValues';
import type { ConfigPlatform } from './configValues';
import { locateOverridingDirective } from './conflictLocator';
import { SshConfigConflictError, SshConfigSyntaxError, SshNotFoundError } from './errors';
import type { ConfigLocation, EffectiveOptionConflict } from './errors';
import type { ManagedHost } from './managedConfig';
import { execFileRunner } from './processRunner';
import type { ProcessRunner } from './processRunner';
import { proxyCommandText } from './proxyCommand';
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

async function runSshDashG(target: VerifyTarget, options: VerifyOptions): Promise<Map<string, string[]>> {
  const sshPath = options.sshPath ?? 'ssh';
  const args = target.paths.customUserConfig ? ['-F', target.paths.userConfig] : [];
  let result;
  try {
    result = await (options.runner ?? execFileRunner)(sshPath, [...args, '-G', target.host.alias], {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
  } catch (error) {
    throw new SshNotFoundError(sshPath, error);
  }
  if (result.exitCode !== 0) {
    const stderr = result.exitCode === null ? `ssh -G did not finish. ${result.stderr}` : result.stderr;
    throw new SshConfigSyntaxError(stderr, sshConfigErrorLocation(result.stderr), target.paths.userConfig);
  }
  return parseSshDashG(result.stdout);
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
  const effective = await runSshDashG(target, options);
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
  const homeDir = options.homeDir ?? os.homedir();
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
