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
  /** File name (without .pub) under /etc/ssh/authorized_keys.d; one per host alias, replaced on rotation. */
  readonly keyName: string;
  readonly s3Uri: string;
  /** A short-lived presigned GET URL for containers without the AWS CLI. */
  readonly presignedUrl: string;
  /** SHA-256 (hex) of the public key line, so a swapped S3 object is refused. */
  readonly keySha256: string;
}

/**
 * Fetches the public key from S3 (AWS CLI, else the presigned URL with python3, curl or wget),
 * checks it, installs it in /etc/ssh/authorized_keys (the file upstream containers' sshd reads)
 * without duplicates, and prints the container's SSH host keys between markers.
 */
export function installKeyScript(params: InstallKeyParams): string[] {
  return [
    'set -eu',
    assignment('SMSSH_KEY_NAME', params.keyName),
    assignment('SMSSH_S3_URI', params.s3Uri),
    assignment('SMSSH_URL', params.presignedUrl),
    assignment('SMSSH_SHA256', params.keySha256),
    ...decodeFunction,
    'name=$(smssh_b64d "$SMSSH_KEY_NAME"); s3_uri=$(smssh_b64d "$SMSSH_S3_URI"); url=$(smssh_b64d "$SMSSH_URL"); want=$(smssh_b64d "$SMSSH_SHA256")',
    'case "$name" in *[!a-z0-9.-]*|"") echo "sagemaker-ssh: invalid key name" >&2; exit 2;; esac',
    'tmp=$(mktemp); trap \'rm -f "$tmp" "$tmp.err"\' EXIT',
    'fetched=""',
    // The command is sent while the upload is still in flight: retry a missing object for ~5 s.
    'for attempt in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do',
    '  : >"$tmp.err"',
    '  if [ -z "$fetched" ] && command -v aws >/dev/null 2>&1 && aws s3 cp --only-show-errors "$s3_uri" "$tmp" 2>"$tmp.err"; then fetched="aws s3 cp"; fi',
    '  if [ -z "$fetched" ] && command -v python3 >/dev/null 2>&1 && python3 -c \'import sys,urllib.request; open(sys.argv[2],"wb").write(urllib.request.urlopen(sys.argv[1], timeout=20).read())\' "$url" "$tmp" 2>>"$tmp.err"; then fetched=python3; fi',
    '  if [ -z "$fetched" ] && command -v curl >/dev/null 2>&1 && curl -fsS --max-time 20 -o "$tmp" "$url" 2>>"$tmp.err"; then fetched=curl; fi',
    '  if [ -z "$fetched" ] && command -v wget >/dev/null 2>&1 && wget -q -T 20 -O "$tmp" "$url" 2>>"$tmp.err"; then fetched=wget; fi',
    '  if [ -n "$fetched" ]; then break; fi',
    '  sleep 0.3 2>/dev/null || sleep 1',
    'done',
    'if [ -z "$fetched" ]; then echo "sagemaker-ssh: could not download the public key from $s3_uri (tried aws, python3, curl, wget):" >&2; cat "$tmp.err" >&2; exit 3; fi',
    'if [ "$(wc -l <"$tmp")" -gt 1 ] || ! grep -Eq \'^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa|sk-ssh-ed25519@openssh.com) [A-Za-z0-9+/]+={0,3}( [ -~]*)?$\' "$tmp"; then echo "sagemaker-ssh: the downloaded object is not a single OpenSSH public key" >&2; exit 4; fi',
    'if command -v sha256sum >/dev/null 2>&1; then got=$(sha256sum "$tmp" | cut -d" " -f1); else got=$(python3 -c \'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())\' "$tmp"); fi',
    'if [ "$got" != "$want" ]; then echo "sagemaker-ssh: the public key in $s3_uri does not match the one this client uploaded" >&2; exit 5; fi',
    'umask 022; dir=/etc/ssh/authorized_keys.d; keys=/etc/ssh/authorized_keys; mkdir -p "$dir"',
    'old=""; if [ -f "$dir/$name.pub" ]; then old=$(cat "$dir/$name.pub"); fi',
    'cp "$tmp" "$dir/$name.pub.tmp"; mv -f "$dir/$name.pub.tmp" "$dir/$name.pub"',
    '{ if [ -f "$keys" ]; then if [ -n "$old" ]; then grep -vxF -- "$old" "$keys" || true; else cat "$keys"; fi; fi; cat "$dir"/*.pub; } | awk \'NF && !seen[$0]++\' >"$keys.tmp"',
    'chmod 644 "$keys.tmp"; mv -f "$keys.tmp" "$keys"',
    `echo "sagemaker-ssh: installed key $name (fetched with $fetched)"`,
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
