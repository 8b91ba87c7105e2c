import { UserFacingError } from '../util/errors';

export class InvalidKeyPrefixError extends UserFacingError {
  readonly code = 'InvalidKeyPrefix';
  constructor(value: string) {
    super(
      `"sagemakerSsh.keysS3Prefix" is "${value}", which is not an S3 location. Set it to s3://<bucket>/ (the ` +
        'bucket Copy Studio Lifecycle Configuration uploads the SSH helper to) or leave it empty for ' +
        'sagemaker-<region>-<account>.',
      {
        actions: [
          {
            title: 'Open Settings',
            command: 'workbench.action.openSettings',
            args: ['sagemakerSsh.keysS3Prefix'],
          },
        ],
      },
    );
  }
}

export class NotAForwardError extends UserFacingError {
  readonly code = 'NotAForward';
  constructor(command: string) {
    super(`${command} works on a port forward shown under a node or app in the SageMaker SSH views.`);
  }
}

export class NotAResourceItemError extends UserFacingError {
  readonly code = 'NotAResourceItem';
  constructor() {
    super('Run this command from the context menu of a job, node, app or domain in the SageMaker SSH views.');
  }
}

export class JobNotInProgressError extends UserFacingError {
  readonly code = 'JobNotInProgress';
  constructor(jobName: string, detail: string, cause?: unknown) {
    super(`${jobName} cannot be stopped: ${detail} Only InProgress jobs can be stopped; refresh the view.`, {
      cause,
      actions: [{ title: 'Refresh', command: 'sagemakerSsh.refreshTrainingJobs' }],
    });
  }
}
