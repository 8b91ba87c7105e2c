/**
 * Shell scripts we run in containers through SSM SendCommand (AWS-RunShellScript, as root).
 * Every value that varies is passed base64-encoded inside single quotes, so nothing we send can
 * change what the script does: the base64 alphabet cannot close a quote or start a substitution.
 */

export const hostKeysBegin = '---SMSSH-HOST-KEYS-BEGIN---';
export const hostKeysEnd = '---SMSSH-HOST-KEYS-END---';

function b64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

function assignment(name: string, value: string): string {
  return `${name}='${b64(value)}'`;
}

const decodeFunction = [
  'smssh_b64d() {',
  '  if command -v base64 >/dev/null 2>&1; then printf %s "$1" | base64 -d; return; fi',
  '  printf %s "$1" | python3 -c \'import base64,sys; sys.stdout.write(base64.b64decode(sys.stdin.read()).decode())\'',
  '}',
];

export interface InstallKeyParams {
  /**
   * File name (without .pub) under /etc/ssh/authorized_keys.d: the key's fingerprint
   * (`keyFileName`), so keys of several clients (teammates, a second laptop) coexist.
   */
  readonly keyName: string;
  /** The OpenSSH public key line. It travels inline: a public key is not a secret. */
  readonly publicKey: string;
  /** The file name of this client's previous key on that instance, removed with its line. */
  readonly replaces?: string;
}

/**
 * The file name for a public key in authorized_keys.d: its SHA-256 fingerprint (as `ssh-keygen -l`
 * prints it after "SHA256:"), in the filename-safe base64url alphabet.
 */
export function keyFileName(fingerprint: string): string {
  return `sha256-${fingerprint
    .replace(/^SHA256:/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_')}`;
}

/**
 * Installs the public key as authorized_keys.d/<name>.pub and rebuilds /etc/ssh/authorized_keys (the
 * file our and upstream's sshd read) from its previous lines and every key file, without
 * duplicates, under a lock, so concurrent installs by several clients keep each other's keys. Then
 * prints the container's SSH host keys between markers. Needs nothing but a shell and coreutils.
 */
export function installKeyScript(params: InstallKeyParams): string[] {
  return [
    'set -eu',
    assignment('SMSSH_KEY_NAME', params.keyName),
    assignment('SMSSH_KEY', params.publicKey.trim()),
    assignment('SMSSH_REPLACES', params.replaces ?? ''),
    ...decodeFunction,
    'name=$(smssh_b64d "$SMSSH_KEY_NAME"); key=$(smssh_b64d "$SMSSH_KEY"); replaces=$(smssh_b64d "$SMSSH_REPLACES")',
    'for n in "$name" "${replaces:-x}"; do case "$n" in *[!A-Za-z0-9_-]*|"") echo "sagemaker-ssh: invalid key name" >&2; exit 2;; esac; done',
    'if [ "$(printf "%s\n" "$key" | wc -l)" -ne 1 ] || ! printf "%s\n" "$key" | grep -Eq \'^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa|sk-ssh-ed25519@openssh.com) [A-Za-z0-9+/]+={0,3}( [ -~]*)?$\'; then echo "sagemaker-ssh: the key is not a single OpenSSH public key" >&2; exit 4; fi',
    'umask 022; dir=/etc/ssh/authorized_keys.d; keys=/etc/ssh/authorized_keys; mkdir -p "$dir"',
    'if command -v flock >/dev/null 2>&1; then exec 8>"$dir/.lock"; flock -w 20 8 || true; fi',
    'removed=""',
    'if [ -n "$replaces" ] && [ "$replaces" != "$name" ] && [ -f "$dir/$replaces.pub" ]; then removed=$(cat "$dir/$replaces.pub"); rm -f "$dir/$replaces.pub"; fi',
    'printf "%s\n" "$key" >"$dir/$name.pub.$$"; mv -f "$dir/$name.pub.$$" "$dir/$name.pub"',
    // Lines of remaining key files come back even if `removed` matched them.
    '{ if [ -f "$keys" ]; then if [ -n "$removed" ]; then grep -vxF -- "$removed" "$keys" || true; else cat "$keys"; fi; fi; cat "$dir"/*.pub; } | awk \'NF && !seen[$0]++\' >"$keys.$$"',
    'chmod 644 "$keys.$$"; mv -f "$keys.$$" "$keys"',
    'echo "sagemaker-ssh: installed key $name$(if [ -n "$removed" ]; then echo " (replacing $replaces)"; fi)"',
    `echo '${hostKeysBegin}'`,
    'for f in /etc/ssh/ssh_host_*_key.pub; do if [ -r "$f" ]; then cat "$f"; fi; done',
    `echo '${hostKeysEnd}'`,
  ];
}

/** What `sm-wait stop` does: create the flag file the waiting loop polls, and say so in the job log. */
export function stopWaitingScript(): string[] {
  return [
    'set -eu',
    'touch /tmp/sm-wait-stopped',
    'if [ -w /proc/1/fd/1 ]; then echo "sagemaker-ssh: Stop Waiting requested from VS Code" >/proc/1/fd/1 || true; fi',
    'echo "sagemaker-ssh: /tmp/sm-wait-stopped created on $(hostname)"',
  ];
}

/** Exit status of stopWaitingIfWaitingScript when no sm-wait process runs. */
export const NOTHING_WAITS_STATUS = 7;

/**
 * Stop Waiting where no Run Command reaches (native targets, over a shell session): creates the
 * flag file only when an sm-wait process runs, else exits NOTHING_WAITS_STATUS. pgrep writes to a
 * file (not `$(…)`): a subshell is a fork of this script, whose text names sm-wait too.
 */
export function stopWaitingIfWaitingScript(): string {
  return [
    'set -u',
    'list=/tmp/.sagemaker-ssh-waiters.$$',
    'pgrep -f "sm-wait" >"$list" 2>/dev/null || true',
    'found=no; while read -r p; do [ "$p" = "$$" ] || found=yes; done <"$list"; rm -f "$list"',
    `if [ "$found" != yes ]; then echo "sagemaker-ssh: no waiting process on $(hostname)" >&2; exit ${NOTHING_WAITS_STATUS}; fi`,
    ...stopWaitingScript().slice(1),
  ].join('\n');
}

/** The host key lines printed between the markers, or [] if the markers are missing. */
export function parseHostKeys(stdout: string): string[] {
  const start = stdout.indexOf(hostKeysBegin);
  const end = stdout.indexOf(hostKeysEnd);
  if (start < 0 || end < start) {
    return [];
  }
  return stdout
    .slice(start + hostKeysBegin.length, end)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}
