import { UserFacingError } from '../../util/errors';

/** A public key line failed validation; the reason says which rule it broke. */
export class InvalidPublicKeyError extends UserFacingError {
  readonly code = 'SSH_INVALID_PUBLIC_KEY';
  readonly reason: string;

  constructor(reason: string) {
    super(
      `Refusing an invalid SSH public key: ${reason}. Expected one line "<type> <base64> [comment]" with ` +
        'type ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521, and no options or line breaks.',
    );
    this.reason = reason;
  }
}

/** A private key file is not an unencrypted OpenSSH ed25519 key we can use. */
export class InvalidPrivateKeyError extends UserFacingError {
  readonly code = 'SSH_INVALID_PRIVATE_KEY';
  readonly reason: string;

  constructor(reason: string) {
    super(`The SSH private key is not usable: ${reason}. A new key will be generated for this host.`);
    this.reason = reason;
  }
}

/** A key comment would break the public key line (line breaks, control characters, too long). */
export class InvalidKeyCommentError extends UserFacingError {
  readonly code = 'SSH_INVALID_KEY_COMMENT';

  constructor(reason: string) {
    super(`Invalid SSH key comment: ${reason}. Use printable characters only, at most 255 of them.`);
  }
}

/** A key-store name is not a host alias we would ever write (it would escape the key directory). */
export class InvalidKeyNameError extends UserFacingError {
  readonly code = 'SSH_INVALID_KEY_NAME';

  constructor(name: string) {
    super(
      `"${name}" is not a valid key name: use a host alias made of lowercase letters, digits, dots and ` +
        'hyphens, not starting with a dot or hyphen.',
    );
  }
}

/** Thrown by SshWireReader when the bytes do not follow the SSH wire format (RFC 4251 §5). */
export class SshWireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SshWireFormatError';
  }
}
