import { HYPERPOD_USER } from '../targets/hyperPodNode';
import { hostKeysBegin, hostKeysEnd, keyFileName } from './remoteScripts';

/** Exit status of the install script when the login user does not exist on the node. */
export const NO_LOGIN_USER_STATUS = 3;

/** The comment that marks our key's line in authorized_keys: one per client key (its fingerprint). */
export function keyMark(fingerprint: string): string {
  return `sm-ssh-${keyFileName(fingerprint)}`;
}

export interface HyperPodKeyInstall {
  /** The OpenSSH public key line (its comment is replaced by our mark). */
  readonly publicKey: string;
  readonly fingerprint: string;
  /** This client's previous key on that node, whose line goes. */
  readonly replacesFingerprint?: string;
  readonly user?: string;
}

/**
 * Run through an SSM shell session (as root, as HyperPod's sessions start): adds our key to the
 * login user's `~/.ssh/authorized_keys` (wherever getent says the home is, e.g. /fsx/ubuntu), once,
 * as `<type> <key> sm-ssh-<fingerprint>`, removing only lines with our marks (this key's, and the
 * key it replaces), under flock; then prints the node's SSH host keys between markers. Every
 * value arrives as data (runShellScript passes it base64-encoded), never as script text.
 */
export const HYPERPOD_INSTALL_KEY_SCRIPT = [
  'set -eu',
  'case "$SMSSH_MARK$SMSSH_REPLACES" in *[!A-Za-z0-9_-]*) echo "sm-ssh: invalid key mark"; exit 2;; esac',
  'case "$SMSSH_USER" in ""|*[!a-z0-9_-]*) echo "sm-ssh: invalid user name"; exit 2;; esac',
  'if [ "$(printf "%s\\n" "$SMSSH_KEY" | wc -l)" -ne 1 ] || ! printf "%s\\n" "$SMSSH_KEY" | grep -Eq \'^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) [A-Za-z0-9+/]+={0,3}$\'; then echo "sm-ssh: the key is not one OpenSSH public key"; exit 4; fi',
  'entry=$(getent passwd "$SMSSH_USER" 2>/dev/null || grep "^$SMSSH_USER:" /etc/passwd || true)',
  `if [ -z "$entry" ]; then echo "sm-ssh: no user $SMSSH_USER on $(hostname)"; exit ${NO_LOGIN_USER_STATUS}; fi`,
  'home=$(printf "%s\\n" "$entry" | head -n 1 | cut -d: -f6); group=$(id -gn "$SMSSH_USER" 2>/dev/null || printf "%s\\n" "$entry" | head -n 1 | cut -d: -f4)',
  'me=$(id -u)',
  'if [ "$me" != 0 ] && [ "$(id -un)" != "$SMSSH_USER" ]; then echo "sm-ssh: the session runs as $(id -un), not root or $SMSSH_USER"; exit 5; fi',
  'umask 077; dir="$home/.ssh"; keys="$dir/authorized_keys"; mkdir -p "$dir"',
  'if [ "$me" = 0 ]; then chown "$SMSSH_USER:$group" "$dir"; fi; chmod 700 "$dir"',
  'if command -v flock >/dev/null 2>&1; then exec 8>>"$dir/.sm-ssh.lock"; flock -w 20 8 || true; fi',
  'tmp="$keys.sm-ssh.$$"',
  '{ if [ -f "$keys" ]; then awk -v m="$SMSSH_MARK" -v r="${SMSSH_REPLACES:-}" \'NF == 0 || ($NF != m && (r == "" || $NF != r))\' "$keys"; fi; printf "%s %s\\n" "$SMSSH_KEY" "$SMSSH_MARK"; } >"$tmp"',
  'chmod 600 "$tmp"; if [ "$me" = 0 ]; then chown "$SMSSH_USER:$group" "$tmp"; fi; mv -f "$tmp" "$keys"',
  'echo "sm-ssh: key $SMSSH_MARK installed for $SMSSH_USER in $keys"',
  `echo '${hostKeysBegin}'`,
  'for f in /etc/ssh/ssh_host_*_key.pub; do if [ -r "$f" ]; then cat "$f"; fi; done',
  `echo '${hostKeysEnd}'`,
].join('\n');

/** The data HYPERPOD_INSTALL_KEY_SCRIPT reads. */
export function hyperPodInstallKeyData(request: HyperPodKeyInstall): Record<string, string> {
  const [type = '', body = ''] = request.publicKey.trim().split(/\s+/);
  const replaces =
    request.replacesFingerprint && request.replacesFingerprint !== request.fingerprint
      ? keyMark(request.replacesFingerprint)
      : '';
  return {
    SMSSH_USER: request.user ?? HYPERPOD_USER,
    SMSSH_KEY: `${type} ${body}`,
    SMSSH_MARK: keyMark(request.fingerprint),
    SMSSH_REPLACES: replaces,
  };
}
