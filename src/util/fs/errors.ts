import { UserFacingError } from '../errors';
import { errorCode } from './fileSystem';

/** The errno code of a cause, else its message: for error texts. */
export function describeCause(cause: unknown): string {
  const code = errorCode(cause);
  if (code !== undefined) {
    return code;
  }
  return cause instanceof Error ? cause.message : String(cause);
}

function adviceFor(code: string | undefined, dir: string): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'Free some disk space and try again.';
    case 'EACCES':
    case 'EPERM':
      return `Check that your user owns ${dir} and may write to it.`;
    case 'EROFS':
      return `${dir} is on a read-only file system; point the setting at a writable location.`;
    default:
      return `Check that ${dir} exists and is writable, then try again.`;
  }
}

/** A file could not be written; nothing was left half-written. */
export class FileWriteError extends UserFacingError {
  readonly code = 'SSH_FILE_WRITE_FAILED';
  readonly path: string;

  constructor(path: string, dir: string, cause: unknown) {
    super(
      `Could not write ${path} (${describeCause(cause)}). ${adviceFor(errorCode(cause), dir)} ` +
        'No partial file was left behind.',
      { cause },
    );
    this.path = path;
  }
}

/** A file exists but could not be read. */
export class FileReadError extends UserFacingError {
  readonly code = 'SSH_FILE_READ_FAILED';
  readonly path: string;

  constructor(path: string, cause: unknown) {
    super(
      `Could not read ${path} (${describeCause(cause)}). Check that the file is a regular file your user ` +
        'can read (for example `chmod 600` it), then try again.',
      { cause },
    );
    this.path = path;
  }
}

/** Another process held the lock for longer than we wait, or the lock could not be created. */
export class FileLockError extends UserFacingError {
  readonly code = 'SSH_FILE_LOCKED';
  readonly lockPath: string;

  constructor(file: string, lockPath: string, cause: unknown) {
    super(
      `Could not lock ${file} for writing (${describeCause(cause)}): another SageMaker SSH process (VS Code or ` +
        `sm-ssh) is writing it. Wait for it to finish and try again; if none is running, remove ${lockPath}.`,
      { cause },
    );
    this.lockPath = lockPath;
  }
}
