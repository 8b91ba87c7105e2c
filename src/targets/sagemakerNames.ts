import { InvalidSageMakerNameError } from './targetErrors';
import type { SageMakerNameKind } from './targetErrors';

export const MAX_SAGEMAKER_NAME_LENGTH = 63;

// SageMaker's pattern for job, app, space and user-profile names: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$
const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;
// Domain ids are lowercase: ^d-(-*[a-z0-9]){1,61}$
const DOMAIN_ID = /^d-(-*[a-z0-9]){1,61}$/;

const NAME_RULE =
  'SageMaker names are 1–63 letters, digits and hyphens, starting and ending with a letter or digit.';
const DOMAIN_RULE = 'Studio domain ids look like d-xxxxxxxxxxxx (lowercase letters, digits and hyphens).';

function firstOffendingCharacter(value: string): string | undefined {
  for (const [index, char] of [...value].entries()) {
    if (!/[a-zA-Z0-9-]/.test(char)) {
      return `character ${JSON.stringify(char)} at position ${index + 1} is not allowed`;
    }
  }
  return undefined;
}

function reasonFor(value: string): string {
  if (value.length === 0) {
    return 'it is empty';
  }
  if (value.length > MAX_SAGEMAKER_NAME_LENGTH) {
    return `it is ${value.length} characters long`;
  }
  return firstOffendingCharacter(value) ?? 'it starts or ends with a hyphen';
}

/** Returns `value` if it is a valid SageMaker resource name, otherwise throws InvalidSageMakerNameError. */
export function checkSageMakerName(kind: SageMakerNameKind, value: string): string {
  if (value.length > MAX_SAGEMAKER_NAME_LENGTH || !SAGEMAKER_NAME.test(value)) {
    throw new InvalidSageMakerNameError(kind, value, reasonFor(value), NAME_RULE);
  }
  return value;
}

export function checkDomainId(value: string): string {
  if (!DOMAIN_ID.test(value)) {
    const reason = /[A-Z]/.test(value) ? 'it contains uppercase letters' : reasonFor(value);
    throw new InvalidSageMakerNameError('Studio domain id', value, reason, DOMAIN_RULE);
  }
  return value;
}

export function isSageMakerName(value: string): boolean {
  return value.length <= MAX_SAGEMAKER_NAME_LENGTH && SAGEMAKER_NAME.test(value);
}

export function isDomainId(value: string): boolean {
  return DOMAIN_ID.test(value);
}
