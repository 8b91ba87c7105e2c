import type { ShellSessionApi } from '../ssm/shellSessionStart';
import type { Logger } from '../util/logger';
import { UserFacingError } from '../util/errors';
import { hostKeysBegin, hostKeysEnd, parseHostKeys } from './remoteScripts';
import { runShellScript } from './shellScript';
import { ShellScriptFailedError } from './shellScriptErrors';

/** What the container's sshd of ours listens on and who logs in, with its host keys to pin. */
export interface NativeSshd {
  readonly port: number;
  readonly user: string;
  readonly home: string;
  readonly hostKeys: readonly string[];
  /** False when an sshd of ours was already running (a reconnect). */
  readonly started: boolean;
}

/** Exit status of the script when the image has no sshd binary. */
const NO_SSHD_STATUS = 3;

/**
 * Starts (or finds) our own sshd in a container reached through a shell session, where nothing of
 * ours was installed beforehand (remote debug, HyperPod, …). Everything lives in `~/.sagemaker-ssh`
 * (mode 0700) of the session's user: host keys generated there, an authorized_keys holding only the
 * keys we installed, and a config of ours (127.0.0.1 only, keys only). The port is random from
 * 20000–59999 and tried again when taken; sshd writes its pid file only once it listens. A running
 * sshd of ours is reused, so a reconnect starts nothing. The public key arrives as data (base64).
 */
export function nativeSshdScript(): string {
  return [
    'set -eu',
    'umask 077',
    'sshd_bin=$(command -v sshd 2>/dev/null || true)',
    'if [ -z "$sshd_bin" ] && [ -x /usr/sbin/sshd ]; then sshd_bin=/usr/sbin/sshd; fi',
    `if [ -z "$sshd_bin" ]; then echo "sagemaker-ssh: this image has no sshd (looked in PATH and /usr/sbin)" >&2; exit ${NO_SSHD_STATUS}; fi`,
    'if ! command -v ssh-keygen >/dev/null 2>&1; then echo "sagemaker-ssh: this image has sshd but no ssh-keygen" >&2; exit 5; fi',
    'case "$SMSSH_KEY" in "ssh-ed25519 "*|"ecdsa-sha2-"*|"ssh-rsa "*) ;; *) echo "sagemaker-ssh: not an OpenSSH public key" >&2; exit 4;; esac',
    'home=${HOME:-/root}; dir="$home/.sagemaker-ssh"; mkdir -p "$dir"; chmod 700 "$dir"',
    'touch "$dir/authorized_keys"',
    'grep -qxF -- "$SMSSH_KEY" "$dir/authorized_keys" || printf "%s\\n" "$SMSSH_KEY" >>"$dir/authorized_keys"',
    'for t in ed25519 ecdsa; do [ -f "$dir/ssh_host_${t}_key" ] || ssh-keygen -q -t "$t" -N "" -f "$dir/ssh_host_${t}_key"; done',
    'started=no',
    'running() { [ -f "$dir/sshd.pid" ] && [ -f "$dir/port" ] && kill -0 "$(cat "$dir/sshd.pid")" 2>/dev/null; }',
    'if ! running; then',
    '  rm -f "$dir/sshd.pid" "$dir/port"',
    '  { echo "ListenAddress 127.0.0.1"; echo "HostKey $dir/ssh_host_ed25519_key"; echo "HostKey $dir/ssh_host_ecdsa_key";',
    '    echo "AuthorizedKeysFile $dir/authorized_keys"; echo "PubkeyAuthentication yes"; echo "PasswordAuthentication no";',
    '    echo "KbdInteractiveAuthentication no"; echo "PermitRootLogin prohibit-password"; echo "UsePAM no"; echo "StrictModes no";',
    '    echo "PidFile $dir/sshd.pid"; echo "Subsystem sftp internal-sftp"; echo "AllowTcpForwarding yes"; } >"$dir/sshd_config"',
    '  if [ "$(id -u)" = 0 ]; then mkdir -p /run/sshd; chmod 755 /run/sshd; fi',
    '  tries=0',
    '  while [ "$tries" -lt 20 ]; do',
    '    tries=$((tries + 1))',
    '    port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d " ") % 40000))',
    '    : >"$dir/sshd.log"',
    '    "$sshd_bin" -f "$dir/sshd_config" -p "$port" -E "$dir/sshd.log" || continue',
    '    waited=0',
    '    while [ ! -s "$dir/sshd.pid" ] && ! grep -q "fatal\\|Cannot bind" "$dir/sshd.log" && [ "$waited" -lt 100 ]; do sleep 0.05; waited=$((waited + 1)); done',
    '    if [ -s "$dir/sshd.pid" ]; then echo "$port" >"$dir/port"; started=yes; break; fi',
    '  done',
    '  if [ "$started" != yes ]; then echo "sagemaker-ssh: sshd did not start:" >&2; tail -n 5 "$dir/sshd.log" >&2; exit 6; fi',
    'fi',
    'echo "SMSSH-PORT=$(cat "$dir/port")"',
    'echo "SMSSH-USER=$(id -un)"',
    'echo "SMSSH-HOME=$home"',
    'echo "SMSSH-STARTED=$started"',
    `echo '${hostKeysBegin}'`,
    'cat "$dir"/ssh_host_*_key.pub',
    `echo '${hostKeysEnd}'`,
  ].join('\n');
}

/** The image has no sshd: there is nothing to connect ssh to, but a terminal works. */
export class NoSshdInImageError extends UserFacingError {
  readonly code = 'NoSshdInImage';
  constructor(readonly targetName: string) {
    super(
      `${targetName} has no sshd in its image, so Remote-SSH cannot connect. Open a terminal instead ` +
        '(Open Terminal, or sm-ssh shell <alias>: no sshd needed), or use an image that ships OpenSSH ' +
        '(the AWS Deep Learning Containers do, for MPI).',
      { actions: [{ title: 'Open Terminal', command: 'sagemakerSsh.openTerminal' }] },
    );
  }
}

/** The script printed no port, user or host keys (an image whose tools behave unlike OpenSSH's). */
export class NativeSshdReportError extends UserFacingError {
  readonly code = 'NativeSshdReport';
  constructor(targetName: string, output: string) {
    super(
      `Starting sshd in ${targetName} gave no port or host keys; it printed: ${output.trim().slice(-800) || '(nothing)'}`,
      { actions: [{ title: 'Show Log', command: 'sagemakerSsh.showLog' }] },
    );
  }
}

function field(output: string, name: string): string | undefined {
  return new RegExp(`^SMSSH-${name}=(.*)$`, 'm').exec(output)?.[1]?.trim();
}

/** Reads the script's report; throws NativeSshdReportError when something is missing. */
export function parseNativeSshdReport(targetName: string, output: string): NativeSshd {
  const port = Number(field(output, 'PORT'));
  const user = field(output, 'USER');
  const home = field(output, 'HOME');
  const hostKeys = parseHostKeys(output);
  if (!Number.isInteger(port) || port <= 0 || port > 65535 || !user || !home || hostKeys.length === 0) {
    throw new NativeSshdReportError(targetName, output);
  }
  return { port, user, home, hostKeys, started: field(output, 'STARTED') === 'yes' };
}

export interface NativeSshdRequest {
  readonly api: ShellSessionApi;
  /** The Session Manager target (`sagemaker-training-job:<job>_algo-<N>`, …). */
  readonly ssmTarget: string;
  /** How messages name it. */
  readonly targetName: string;
  readonly publicKey: string;
  readonly signal?: AbortSignal;
  readonly log?: Logger;
}

/** Runs nativeSshdScript over a shell session; NoSshdInImageError when the image has none. */
export async function startNativeSshd(request: NativeSshdRequest): Promise<NativeSshd> {
  try {
    const result = await runShellScript({
      api: request.api,
      target: request.ssmTarget,
      script: nativeSshdScript(),
      data: { SMSSH_KEY: request.publicKey.trim() },
      purpose: 'Starting sshd',
      signal: request.signal,
      log: request.log,
    });
    return parseNativeSshdReport(request.targetName, result.output);
  } catch (error) {
    if (error instanceof ShellScriptFailedError && error.exitCode === NO_SSHD_STATUS) {
      throw new NoSshdInImageError(request.targetName);
    }
    throw error;
  }
}
