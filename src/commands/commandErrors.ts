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

export class NotAnSshItemError extends UserFacingError {
  readonly code = 'NotAnSshItem';
  constructor(command: string) {
    super(`${command} works on a training job, a node (algo-N) or a Studio app in the SageMaker SSH views.`);
  }
}

/**
 * VS Code passes no item when the row a menu was opened on went away before the command ran: a refresh
 * of the view replaces its rows, and the old row's handle resolves to nothing for a moment.
 */
export class TreeItemGoneError extends UserFacingError {
  readonly code = 'TreeItemGone';
  constructor(command: string) {
    super(
      `The item was replaced while its menu was open (the SageMaker SSH view refreshed), so ${command} ` +
        'received none. Run it again on the item in the refreshed view.',
    );
  }
}

export class NotATrainingJobError extends UserFacingError {
  readonly code = 'NotATrainingJob';
  constructor(command: string) {
    super(`${command} works on a training job or one of its nodes (algo-N) in the Training Jobs view.`);
  }
}
