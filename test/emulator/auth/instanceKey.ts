import { constants, createPublicKey, verify } from 'node:crypto';
import { AuthFailure } from './authenticate';
import type { Identity } from './identities';
import { headerValue, stringToSign, type ReceivedRequest, type SignatureHeader } from './sigv4';

/** What the emulator knows about a managed instance that signs its own requests. */
export interface InstanceKeys {
  /** The instance's registered public key (base64 DER SubjectPublicKeyInfo), if it exists. */
  publicKey(instanceId: string): string | undefined;
  /** The principal ARN shown for the instance (its managed-instance ARN). */
  arn(instanceId: string): string;
}

/**
 * The SSM agent's own request signing (agent/ssm/rsaauth/ssm_rsaV4.go): a SigV4-shaped
 * Authorization header whose access key is the `mi-…` id and whose `Signature=` is the base64
 * RSA-PSS (SHA-256, 32-byte salt) signature of the SigV4 string to sign, made with the private
 * key whose public half the agent sent to RegisterManagedInstance.
 */
export function verifyInstanceSignature(
  request: ReceivedRequest,
  header: SignatureHeader,
  keys: InstanceKeys,
  verifySignatures: boolean,
): Identity {
  const instanceId = header.accessKeyId;
  const publicKey = keys.publicKey(instanceId);
  if (!publicKey) {
    throw new AuthFailure(
      'unknownAccessKey',
      `${instanceId} has no registered key (it is not registered, or was deregistered)`,
    );
  }
  if (!header.signedHeaders.includes('host')) {
    throw new AuthFailure('malformed', "SignedHeaders must include 'host'");
  }
  if (verifySignatures) {
    const amzDate = headerValue(request.rawHeaders, 'x-amz-date');
    if (!amzDate) throw new AuthFailure('malformed', 'X-Amz-Date is missing');
    const message = stringToSign(request, header, true, amzDate);
    if (!rsaPssValid(publicKey, message, header.signature)) {
      throw new AuthFailure(
        'badSignature',
        `Signature of ${instanceId} does not verify with its registered key`,
      );
    }
  }
  const arn = keys.arn(instanceId);
  return {
    name: instanceId,
    accessKeyId: instanceId,
    secretAccessKey: '',
    arn,
    userId: instanceId,
    account: arn.split(':')[4] ?? '',
    expired: false,
    deny: [],
    instanceId,
  };
}

function rsaPssValid(publicKeyBase64: string, message: string, signatureBase64: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki' });
    return verify(
      'sha256',
      Buffer.from(message),
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
      Buffer.from(signatureBase64, 'base64'),
    );
  } catch {
    return false;
  }
}
