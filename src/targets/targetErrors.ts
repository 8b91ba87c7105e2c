import { UserFacingError } from '../util/errors';

export type SageMakerNameKind =
  | 'training job'
  | 'Studio app'
  | 'Studio space or user profile'
  | 'Studio domain id'
  | 'processing job'
  | 'transform job'
  | 'endpoint'
  | 'notebook instance'
  | 'HyperPod cluster'
  | 'HyperPod instance group';

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
        '<name>.processing|transform|inference|notebook.sagemaker, ' +
        '<instance-id>.<group>.<cluster>.hyperpod.sagemaker, <space>.<domain>.space.sagemaker, ' +
        'sagemaker-training, sagemaker-studio or sagemaker-space.',
    );
    this.alias = alias;
  }
}

/** The resource is not a file of a Remote-SSH window (a local file, another kind of remote). */
export class NotARemoteSshResourceError extends UserFacingError {
  readonly code = 'NotARemoteSshResource';
  constructor(readonly uri: string) {
    super(
      `${uri} is not a file or folder of a Remote-SSH window. SageMaker SSH: Download… works in the Explorer ` +
        'of a window connected to a SageMaker host (Connect on a job or app).',
    );
  }
}

/** The Remote-SSH window's host is not a SageMaker SSH alias. */
export class NotASageMakerHostError extends UserFacingError {
  readonly code = 'NotASageMakerHost';
  constructor(readonly host: string) {
    super(
      `${host} is not a SageMaker SSH host, so SageMaker SSH: Download… cannot copy from it. Use it in a window ` +
        'opened with Connect (hosts named <job>.training.sagemaker or …studio.sagemaker); for other hosts use scp.',
    );
  }
}
