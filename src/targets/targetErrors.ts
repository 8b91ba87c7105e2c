import { UserFacingError } from '../util/errors';

export type SageMakerNameKind =
  'training job' | 'Studio app' | 'Studio space or user profile' | 'Studio domain id';

/** A SageMaker resource name that SageMaker itself would not accept, so no alias can be made. */
export class InvalidSageMakerNameError extends UserFacingError {
  readonly code = 'SSH_INVALID_SAGEMAKER_NAME';
  readonly kind: SageMakerNameKind;
  readonly value: string;

  constructor(kind: SageMakerNameKind, value: string, reason: string, rule: string) {
    super(`Cannot make an SSH host alias for ${kind} "${value}": ${reason}. ${rule}`);
    this.kind = kind;
    this.value = value;
  }
}

/** A host alias that is not one of ours (or not in canonical form). */
export class InvalidHostAliasError extends UserFacingError {
  readonly code = 'SSH_INVALID_HOST_ALIAS';
  readonly alias: string;

  constructor(alias: string, reason: string) {
    super(
      `"${alias}" is not a SageMaker SSH host alias: ${reason}. Expected <job>.training.sagemaker, ` +
        'algo-<N>.<job>.training.sagemaker, <app>.<space-or-user>.<domain>.studio.sagemaker, ' +
        '<space>.<domain>.space.sagemaker, sagemaker-training, sagemaker-studio or sagemaker-space.',
    );
    this.alias = alias;
  }
}
