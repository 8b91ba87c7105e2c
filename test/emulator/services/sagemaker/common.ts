import { AwsError, validationError } from '../../errors';
import type { JsonInput } from '../../protocols/jsonInput';

export const NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
export const DOMAIN_ID_PATTERN = /^d-(-*[a-z0-9]){1,61}$/;
export const SORT_ORDERS = ['Ascending', 'Descending'] as const;

/** MaxResults of SageMaker List operations: 1..100, default 10. */
export function readMaxResults(input: JsonInput): number {
  return input.integer('MaxResults', { min: 1, max: 100 }) ?? 10;
}

export function readNextToken(input: JsonInput): string | undefined {
  return input.string('NextToken', { max: 8192 });
}

export function invalidNextToken(): AwsError {
  return validationError('The NextToken is not valid for this request. Start again without NextToken.');
}

/** What SageMaker answers for training jobs that do not exist. */
export function trainingJobNotFound(): AwsError {
  return validationError('Requested resource not found.');
}

export function resourceNotFound(message: string): AwsError {
  return new AwsError('ResourceNotFound', message);
}
