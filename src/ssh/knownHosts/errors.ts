import { UserFacingError } from '../../util/errors';

/** A host key or alias we were asked to pin is not acceptable; nothing was written. */
export class InvalidHostKeyError extends UserFacingError {
  readonly code = 'SSH_INVALID_HOST_KEY';

  constructor(alias: string, reason: string) {
    super(
      `Refusing to pin a host key for "${alias}": ${reason}. The container's host keys must be ` +
        'ssh-ed25519, ssh-rsa or ecdsa public key lines; reconnect to fetch them again.',
    );
  }
}
