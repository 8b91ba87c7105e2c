/**
 * An error the emulator answers with, serialized by each protocol in AWS's own error shape.
 * `code` is the AWS error code (`ValidationException`, `NoSuchKey`, ...); `fields` are extra
 * members some protocols carry (S3 `<BucketName>`, `<Key>`).
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = code;
  }

  /** STS/query errors carry `<Type>Sender</Type>` for client faults and `Receiver` for server faults. */
  get faultType(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

/** One constraint violation, worded as AWS's request validator words it. */
export interface ValidationIssue {
  readonly path: string;
  readonly value: string;
  readonly constraint: string;
}

/** `1 validation error detected: Value '200' at 'maxResults' failed to satisfy constraint: ...` */
export function validationException(issues: readonly ValidationIssue[]): AwsError {
  const count = issues.length;
  const head = `${count} validation error${count === 1 ? '' : 's'} detected: `;
  const body = issues
    .map(
      (issue) => `Value ${issue.value} at '${issue.path}' failed to satisfy constraint: ${issue.constraint}`,
    )
    .join('; ');
  return new AwsError('ValidationException', head + body);
}

/** A ValidationException with a free-form message (the business-rule validations). */
export function validationError(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

export function serializationError(message: string): AwsError {
  return new AwsError('SerializationException', message);
}

/** The default HTTP status of well-known error codes, for fault injection that names only a code. */
export function defaultStatusFor(code: string): number {
  return DEFAULT_STATUS[code] ?? 400;
}

const DEFAULT_STATUS: Readonly<Record<string, number>> = {
  InternalFailure: 500,
  InternalServerError: 500,
  InternalError: 500,
  InternalServerException: 500,
  ServiceUnavailable: 503,
  ServiceUnavailableException: 503,
  SlowDown: 503,
  AccessDenied: 403,
  NoSuchKey: 404,
  NoSuchBucket: 404,
  NotFound: 404,
  RequestTimeout: 400,
  ExpiredToken: 400,
};
