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

/** The fields SDK and Node errors carry, each still unchecked. */
interface ErrorFields {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly $metadata?: {
    readonly httpStatusCode?: unknown;
    readonly requestId?: unknown;
    readonly attempts?: unknown;
  };
}

function fieldsOf(error: unknown): ErrorFields {
  return typeof error === 'object' && error !== null ? (error as ErrorFields) : {};
}

function stringField(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The `name` an SDK or Node error carries (AWS error codes arrive there), or '' when it has none. */
export function errorName(error: unknown): string {
  return stringField(fieldsOf(error).name);
}

/** A Node system error's `code` (ECONNREFUSED, ENOENT), or '' when it has none. */
export function errorCode(error: unknown): string {
  return stringField(fieldsOf(error).code);
}

/** The HTTP status of the response an SDK error came from, when there was one. */
export function httpStatusOf(error: unknown): number | undefined {
  return awsMetadataOf(error).httpStatusCode;
}

/** What an SDK error's response metadata says, each field only when it is there. */
export interface AwsErrorMetadata {
  readonly httpStatusCode?: number;
  readonly requestId?: string;
  readonly attempts?: number;
}

export function awsMetadataOf(error: unknown): AwsErrorMetadata {
  const metadata = fieldsOf(error).$metadata ?? {};
  const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
  return {
    httpStatusCode: number(metadata.httpStatusCode),
    requestId: typeof metadata.requestId === 'string' ? metadata.requestId : undefined,
    attempts: number(metadata.attempts),
  };
}

/** The `cause` an error carries (undefined when none). */
export function errorCause(error: unknown): unknown {
  return fieldsOf(error).cause;
}

/** The `message` an error or error-like object carries, or '' when it has none. */
export function errorMessageField(error: unknown): string {
  return stringField(fieldsOf(error).message);
}

/** What an AWS SDK v3 client throws for a service error: its AWS error code is `name`. */
export interface AwsServiceError extends Error {
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
}

/**
 * Whether `error` is an Error whose name (the AWS error code) is one of `names`; with no names,
 * whether it is an Error with a name at all. The one place we read AWS error names.
 */
export function isAwsError(error: unknown, ...names: readonly string[]): error is AwsServiceError {
  if (!(error instanceof Error)) return false;
  return names.length === 0 ? error.name !== '' : names.includes(error.name);
}
