import SSHConfig, { LineType } from 'ssh-config';
import type { Directive, Line, Section } from 'ssh-config';
import { tokenPathValue, untokenPathValue } from './configValues';
import type { ConfigPlatform } from './configValues';
import { InvalidHostEntryError } from './errors';
import { proxyCommandWords } from '../../proxy/proxyCommandText';

/** One host in our managed config file. */
export interface ManagedHost {
  /** The `Host` name (a target alias, or a stable alias such as sagemaker-training). */
  readonly alias: string;
  /** The target alias this host connects to; also the known_hosts key (HostKeyAlias). */
  readonly hostName: string;
  readonly user: string;
  /** Absolute path of the private key. */
  readonly identityFile: string;
  /** Executable and plain arguments; may contain the whole-word tokens %h %n %p %r. */
  readonly proxyCommand: readonly string[];
}

export interface ManagedConfigSettings {
  /** Absolute path of our known_hosts file. */
  readonly knownHostsFile: string;
  readonly platform: ConfigPlatform;
}

export const SERVER_ALIVE_INTERVAL_SECONDS = 15;
export const SERVER_ALIVE_COUNT_MAX = 8;
export const CONNECT_TIMEOUT_SECONDS = 60;

const HEADER = [
  '# Managed by the SageMaker SSH extension; rewritten on every connect, so do not edit it.',
  '# Your SSH config includes this file from a marked "SageMaker SSH" block at its top.',
];
const HOST_NAME = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*$/;
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const INDENT = '  ';

function directive(param: string, value: Directive['value'], quoted = false): Directive {
  const line: Directive = {
    type: LineType.DIRECTIVE,
    param,
    separator: ' ',
    value,
    before: INDENT,
    after: '\n',
  };
  if (quoted) {
    line.quoted = true;
  }
  return line;
}

function checkHost(host: ManagedHost): void {
  if (!HOST_NAME.test(host.alias)) {
    throw new InvalidHostEntryError(
      host.alias,
      'the alias must be lowercase letters, digits, dots and hyphens',
    );
  }
  if (!HOST_NAME.test(host.hostName)) {
    throw new InvalidHostEntryError(host.alias, `the host name "${host.hostName}" is not a lowercase alias`);
  }
  if (!USER_NAME.test(host.user)) {
    throw new InvalidHostEntryError(host.alias, `"${host.user}" is not a valid remote user name`);
  }
}

function hostSection(host: ManagedHost, settings: ManagedConfigSettings): Section {
  checkHost(host);
  const body = new SSHConfig();
  body.push(
    directive('HostName', host.hostName),
    directive('HostKeyAlias', host.hostName),
    directive('User', host.user),
    directive('IdentityFile', tokenPathValue(host.identityFile, settings.platform), true),
    directive('IdentitiesOnly', 'yes'),
    directive('UserKnownHostsFile', tokenPathValue(settings.knownHostsFile, settings.platform), true),
    directive('StrictHostKeyChecking', 'yes'),
    directive('PasswordAuthentication', 'no'),
    directive('ServerAliveInterval', String(SERVER_ALIVE_INTERVAL_SECONDS)),
    directive('ServerAliveCountMax', String(SERVER_ALIVE_COUNT_MAX)),
    directive('ConnectTimeout', String(CONNECT_TIMEOUT_SECONDS)),
    directive('ProxyCommand', proxyCommandWords(host.proxyCommand, settings.platform)),
  );
  return {
    type: LineType.DIRECTIVE,
    param: 'Host',
    separator: ' ',
    value: host.alias,
    before: '',
    after: '\n',
    config: body,
  };
}

/** Our whole config file, hosts sorted by alias, via the ssh-config package. */
export function renderManagedConfig(hosts: readonly ManagedHost[], settings: ManagedConfigSettings): string {
  const config = new SSHConfig();
  for (const text of HEADER) {
    config.push({ type: LineType.COMMENT, content: text, before: '', after: '\n' });
  }
  const sorted = [...hosts].sort((a, b) => (a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0));
  for (const host of sorted) {
    const previous = config[config.length - 1];
    lastLineOf(previous).after = '\n\n';
    config.push(hostSection(host, settings));
  }
  return SSHConfig.stringify(config);
}

function lastLineOf(line: Line): Line {
  if ('config' in line && line.config.length > 0) {
    return line.config[line.config.length - 1];
  }
  return line;
}

function words(value: Directive['value']): string[] {
  return typeof value === 'string' ? [value] : value.map((word) => word.val);
}

function hostFromSection(section: Section): ManagedHost | undefined {
  const fields = new Map<string, Directive['value']>();
  for (const line of section.config) {
    if (line.type === LineType.DIRECTIVE && !fields.has(line.param.toLowerCase())) {
      fields.set(line.param.toLowerCase(), line.value);
    }
  }
  const single = (key: string): string | undefined => {
    const value = fields.get(key);
    return value === undefined ? undefined : words(value).join(' ');
  };
  const proxy = fields.get('proxycommand');
  const [alias, hostName, user, identityFile] = [
    words(section.value).join(' '),
    single('hostname'),
    single('user'),
    single('identityfile'),
  ];
  if (hostName === undefined || user === undefined || identityFile === undefined || proxy === undefined) {
    return undefined;
  }
  return { alias, hostName, user, identityFile: untokenPathValue(identityFile), proxyCommand: words(proxy) };
}

function isValidHost(host: ManagedHost, settings: ManagedConfigSettings): boolean {
  try {
    checkHost(host);
    proxyCommandWords(host.proxyCommand, settings.platform);
    tokenPathValue(host.identityFile, settings.platform);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads our own file back. It is ours alone, so anything unexpected (a hand edit, a damaged
 * file) is dropped rather than reported: the next write regenerates it. `discarded` says so.
 */
export function parseManagedConfig(
  text: string,
  settings: ManagedConfigSettings,
): { hosts: ManagedHost[]; discarded: boolean } {
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(text);
  } catch {
    return { hosts: [], discarded: text.trim() !== '' };
  }
  const hosts = new Map<string, ManagedHost>();
  let discarded = false;
  for (const line of config) {
    if (line.type !== LineType.DIRECTIVE) {
      continue;
    }
    const host = 'config' in line && /^host$/i.test(line.param) ? hostFromSection(line) : undefined;
    if (host === undefined || !isValidHost(host, settings) || hosts.has(host.alias)) {
      discarded = true;
    } else {
      hosts.set(host.alias, host);
    }
  }
  return { hosts: [...hosts.values()], discarded };
}
