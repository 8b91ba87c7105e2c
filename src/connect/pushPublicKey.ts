import type { AwsConnection } from '../aws/awsAccess';
import type { CancellationSignal } from '../util/sleep';
import { installKeyScript, keyFileName, parseHostKeys } from './remoteScripts';
import { runShellCommand } from './runShellCommand';

export interface KeyInstallRequest {
  readonly instanceId: string;
  /** The OpenSSH public key line; sent inline, so no credential or URL goes into the command. */
  readonly publicKey: string;
  /** Its fingerprint (`SHA256:…`), which names the key's file in the container. */
  readonly fingerprint: string;
  /** This client's previous key on that instance, to remove (a rotated key). */
  readonly replacesFingerprint?: string;
  readonly signal?: CancellationSignal;
}

/** How long the install may run in the container; it needs well under a second. */
const installTimeoutSeconds = 30;

/**
 * Has the container install our public key (one SendCommand with the key inline) and returns its
 * SSH host public keys, printed by the same command, for pinning.
 */
export async function installPublicKey(
  connection: AwsConnection,
  request: KeyInstallRequest,
): Promise<string[]> {
  const ssm = await connection.clients.ssm();
  const replaces =
    request.replacesFingerprint && request.replacesFingerprint !== request.fingerprint
      ? keyFileName(request.replacesFingerprint)
      : undefined;
  const result = await runShellCommand(ssm, {
    instanceId: request.instanceId,
    purpose: 'Installing the SSH public key',
    signal: request.signal,
    timeoutSeconds: installTimeoutSeconds,
    lines: installKeyScript({
      keyName: keyFileName(request.fingerprint),
      publicKey: request.publicKey,
      replaces,
    }),
  });
  return parseHostKeys(result.stdout);
}
