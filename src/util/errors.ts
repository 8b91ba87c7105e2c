/**
 * A follow-up the user can take straight from an error notification: a VS Code command, or (for the
 * CLI) the text of a shell command to run.
 */
export interface ErrorAction {
  readonly title: string;
  readonly command?: string;
  readonly args?: readonly unknown[];
}

/**
 * Base of every error we show to people. `message` says what is wrong and what to do next; `code`
 * is stable for tests, telemetry-free logs and the CLI's exit status mapping.
 */
export abstract class UserFacingError extends Error {
  abstract readonly code: string;
  readonly actions: readonly ErrorAction[];

  protected constructor(message: string, options?: { cause?: unknown; actions?: readonly ErrorAction[] }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.actions = options?.actions ?? [];
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/** Wraps an error we did not anticipate so it can still be shown with a way to the log. */
export class UnexpectedError extends UserFacingError {
  readonly code = 'Unexpected';
  constructor(cause: unknown) {
    super(`${errorMessage(cause)} (see "SageMaker SSH: Show Log" for details)`, {
      cause,
      actions: [{ title: 'Show Log', command: 'sagemakerSsh.showLog' }],
    });
  }
}

export function asUserFacing(error: unknown): UserFacingError {
  return error instanceof UserFacingError ? error : new UnexpectedError(error);
}

/** The `name` an SDK or Node error carries (AWS error codes arrive there), or '' when it has none. */
export function errorName(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const { name } = error as { name?: unknown };
  return typeof name === 'string' ? name : '';
}
