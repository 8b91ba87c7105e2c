import type { AdviceSurface } from '../aws/awsContext';
import { advice } from '../aws/awsErrors';
import { UserFacingError } from '../util/errors';
import { trainingJobsLogGroup } from './trainingLogStreams';

export class LogGroupNotFoundError extends UserFacingError {
  readonly code = 'LogGroupNotFound';
  constructor(region: string, cause: unknown, surface?: AdviceSurface) {
    super(
      `The log group ${trainingJobsLogGroup} does not exist in ${region}: no training job in this account ` +
        `and region has written logs yet. If the job is in another region, ${advice(surface, 'chooseOtherRegion')}; ` +
        'otherwise wait until the job starts training.',
      { cause },
    );
  }
}

export class NoLogStreamsError extends UserFacingError {
  readonly code = 'NoLogStreams';
  constructor(jobName: string, node?: string) {
    super(
      `${jobName}${node ? ` has no log stream for ${node}` : ' has no log streams'} in ${trainingJobsLogGroup}, ` +
        'and the job has ended: it stopped or failed before its containers wrote anything. ' +
        'Its FailureReason (Describe Training Job in the AWS console) says why.',
    );
  }
}
