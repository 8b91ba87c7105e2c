import type { SshTarget } from './sshTarget';
import { isSageMakerAlias, parseTargetAlias } from './targetAlias';
import { NotARemoteSshResourceError, NotASageMakerHostError } from './targetErrors';

const REMOTE_SCHEME = 'vscode-remote';
const SSH_REMOTE_PREFIX = 'ssh-remote+';

/** The parts of a VS Code URI the parsing needs (vscode.Uri has them, already percent-decoded). */
export interface ResourceUri {
  readonly scheme: string;
  readonly authority: string;
  readonly path: string;
}

/** A file or folder of a Remote-SSH window on one of our hosts. */
export interface RemoteResource {
  readonly alias: string;
  readonly target: SshTarget;
  readonly remotePath: string;
}

/**
 * The host of a Remote-SSH authority: `ssh-remote+<host>`, or the hex-encoded JSON
 * (`ssh-remote+7b22686f73744e616d65223a…`, `{"hostName":…}`) Remote-SSH writes for some hosts.
 */
export function sshRemoteHost(authority: string): string | undefined {
  if (!authority.startsWith(SSH_REMOTE_PREFIX)) return undefined;
  const host = authority.slice(SSH_REMOTE_PREFIX.length);
  if (/^7b([0-9a-f]{2})+$/i.test(host)) {
    try {
      const decoded = JSON.parse(Buffer.from(host, 'hex').toString('utf8')) as { hostName?: unknown };
      if (typeof decoded.hostName === 'string') return decoded.hostName;
    } catch {
      // Not JSON after all: a host name made of hex digits.
    }
  }
  return host || undefined;
}

/** The target and path behind a Remote-SSH Explorer resource; typed errors for anything else. */
export function remoteResourceOf(uri: ResourceUri): RemoteResource {
  const host = uri.scheme === REMOTE_SCHEME ? sshRemoteHost(uri.authority) : undefined;
  if (host === undefined) throw new NotARemoteSshResourceError(`${uri.scheme}://${uri.authority}${uri.path}`);
  if (!isSageMakerAlias(host)) throw new NotASageMakerHostError(host);
  return { alias: host, target: parseTargetAlias(host), remotePath: uri.path || '/' };
}
