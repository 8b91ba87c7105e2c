import { UserFacingError } from '../util/errors';

/** The remote file or folder is not there (SFTP NO_SUCH_FILE). */
export class RemotePathNotFoundError extends UserFacingError {
  readonly code = 'RemotePathNotFound';
  constructor(
    readonly host: string,
    readonly remotePath: string,
  ) {
    super(
      `${host}:${remotePath} does not exist. Check the path (for example with "ssh ${host} ls -la <folder>") ` +
        'and run the copy again.',
    );
  }
}

/** sshd's user may not read or write the remote path (SFTP PERMISSION_DENIED). */
export class RemotePermissionDeniedError extends UserFacingError {
  readonly code = 'RemotePermissionDenied';
  constructor(
    readonly host: string,
    readonly remotePath: string,
    operation: 'read' | 'write',
  ) {
    super(
      `Permission denied to ${operation} ${host}:${remotePath} as the ssh user. Choose a path that user may ` +
        `${operation} (for example under /tmp or the home folder) or change its permissions in the container.`,
    );
  }
}

/** A folder was named without `-r`, or a file where a folder is needed. */
export class NotAFileError extends UserFacingError {
  readonly code = 'NotAFile';
  constructor(readonly path: string) {
    super(`${path} is a folder. Copy folders with -r (sm-ssh cp -r …).`);
  }
}

/** The local disk filled up (ENOSPC); the partial file was removed. */
export class LocalNoSpaceError extends UserFacingError {
  readonly code = 'LocalNoSpace';
  constructor(
    readonly localPath: string,
    readonly bytesNeeded: number,
    cause: unknown,
  ) {
    super(
      `No space left on the local disk for ${localPath} (it needs ${bytesNeeded} bytes). Free some space or ` +
        'copy to a folder on another disk, then run the copy again. Nothing was left under that name.',
      { cause },
    );
  }
}

/** The local target (or its folder) may not be written (EACCES, EPERM, EROFS). */
export class LocalPermissionDeniedError extends UserFacingError {
  readonly code = 'LocalPermissionDenied';
  constructor(
    readonly localPath: string,
    cause: unknown,
  ) {
    super(`Cannot write ${localPath}: permission denied. Copy to a folder you may write to.`, { cause });
  }
}

/** The local source of an upload does not exist. */
export class LocalPathNotFoundError extends UserFacingError {
  readonly code = 'LocalPathNotFound';
  constructor(readonly localPath: string) {
    super(`${localPath} does not exist. Check the path and run the copy again.`);
  }
}

/** The SHA-256 of the copy differs from the source's: the copy was deleted. */
export class ChecksumMismatchError extends UserFacingError {
  readonly code = 'ChecksumMismatch';
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `The copy of ${path} has SHA-256 ${actual}, the source ${expected}: the source probably changed while it ` +
        'was copied. The copy was discarded; run the copy again once the file no longer changes.',
    );
  }
}

/** `sha256sum` failed or is missing in the container, so the copy cannot be verified. */
export class RemoteChecksumError extends UserFacingError {
  readonly code = 'RemoteChecksumFailed';
  constructor(
    readonly host: string,
    readonly remotePath: string,
    detail: string,
  ) {
    super(
      `Could not compute the SHA-256 of ${host}:${remotePath} in the container (${detail}). The copy is not ` +
        'verified and was not put under its name; make sure coreutils (sha256sum) is installed there.',
    );
  }
}

/** The host key the container presented is not the one pinned by Connect. */
export class HostKeyMismatchError extends UserFacingError {
  readonly code = 'HostKeyMismatch';
  constructor(readonly alias: string) {
    super(
      `The container behind ${alias} presented a host key that is not pinned for it, so the connection was ` +
        `refused. If the container was replaced, run "sm-ssh config ${alias}" to pin its keys again.`,
    );
  }
}

/** Every session failed (or kept failing) before the copy was complete. */
export class TransferFailedError extends UserFacingError {
  readonly code = 'TransferFailed';
  constructor(
    readonly host: string,
    detail: string,
    cause?: unknown,
  ) {
    super(
      `The copy over ${host} failed: ${detail}. What was copied is kept next to the target as ` +
        '*.sm-ssh-partial; run the same command again to resume.',
      { cause },
    );
  }
}

/** The copy was cancelled; nothing is under the target's name. */
export class TransferCancelledError extends UserFacingError {
  readonly code = 'Cancelled';
  constructor() {
    super('The copy was cancelled. Nothing was written under the target name; run it again to resume.');
  }
}

/** A remote operation failed for a reason other than a lost connection or a known status. */
export class RemoteIoError extends UserFacingError {
  readonly code = 'RemoteIoFailed';
  constructor(host: string, path: string, detail: string, cause?: unknown) {
    super(
      `${host}:${path}: ${detail}. If the container's disk is full, free space there and run the copy again.`,
      { cause },
    );
  }
}

/** The connection under a link ended while an operation was pending. Retried on another link. */
export class LinkLostError extends Error {
  readonly code = 'LinkLost';
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`the connection was lost (${detail})`, options);
    this.name = 'LinkLostError';
  }
}

/** An upload's remote folder is a file, or not there. */
export class RemoteNotAFolderError extends UserFacingError {
  readonly code = 'RemoteNotAFolder';
  constructor(
    readonly host: string,
    readonly remotePath: string,
  ) {
    super(
      `${host}:${remotePath} is not a folder. Upload into an existing folder (for example the home folder or ` +
        '/tmp), or create it first (ssh into the host and run mkdir -p).',
    );
  }
}
