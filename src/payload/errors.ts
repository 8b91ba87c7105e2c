import { UserFacingError } from '../util/errors';

/** The extension's media/remote folder is missing (a broken install, or a CLI copied on its own). */
export class PayloadNotFoundError extends UserFacingError {
  readonly code = 'PayloadNotFound';
  constructor(searched: readonly string[]) {
    super(
      `The SSH helper payload (media/remote/sagemaker_ssh_helper) was not found; looked in ${searched.join(', ')}. ` +
        'Reinstall the SageMaker SSH extension, or set SAGEMAKER_SSH_PAYLOAD_DIR to its media/remote folder.',
    );
  }
}

/** The target already has a sagemaker_ssh_helper folder whose files differ from ours. */
export class PayloadConflictError extends UserFacingError {
  readonly code = 'PayloadConflict';
  constructor(
    readonly directory: string,
    readonly differing: readonly string[],
  ) {
    super(
      `${directory} already exists and ${differing.length === 1 ? 'this file differs' : 'these files differ'} ` +
        `from the extension's version: ${differing.join(', ')}. Replace it (your changes there are lost) or ` +
        'copy into another folder.',
    );
  }
}

/** The target folder cannot hold the payload (missing, not a folder, or not writable). */
export class PayloadTargetError extends UserFacingError {
  readonly code = 'PayloadTarget';
  constructor(target: string, reason: string, cause?: unknown) {
    super(`Cannot copy the SSH helper into ${target}: ${reason}.`, { cause });
  }
}

/** A Studio lifecycle configuration name SageMaker would refuse. */
export class InvalidLifecycleConfigNameError extends UserFacingError {
  readonly code = 'InvalidLifecycleConfigName';
  constructor(name: string, reason: string) {
    super(
      `"${name}" cannot be a lifecycle configuration name: ${reason}. Use 1–63 letters, digits and hyphens, ` +
        'starting and ending with a letter or digit.',
    );
  }
}

/** The generated lifecycle configuration exceeds SageMaker's 16,384 base64 characters. */
export class LifecycleConfigTooLargeError extends UserFacingError {
  readonly code = 'LifecycleConfigTooLarge';
  constructor(size: number, limit: number) {
    super(
      `The lifecycle configuration is ${size} base64 characters; SageMaker accepts at most ${limit}. ` +
        'Shorten the owner id or the S3 location of the payload.',
    );
  }
}

/** An AWS call of the payload commands failed; the message names the IAM action or the fix. */
export class PayloadAwsError extends UserFacingError {
  constructor(
    readonly code: string,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}
