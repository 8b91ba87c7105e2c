import type { AdviceSurface } from '../aws/awsContext';
import { actionsFor, advice, selectRegion } from '../aws/awsErrors';
import type { PayloadResourceTarget } from '../targets/payloadResource';
import { describePayloadResource } from '../targets/payloadResource';
import { UserFacingError } from '../util/errors';

/** SageMaker has no processing job, transform job, endpoint or notebook instance of that name here. */
export class PayloadResourceNotFoundError extends UserFacingError {
  readonly code = 'PayloadResourceNotFound';
  constructor(target: PayloadResourceTarget, region: string, surface?: AdviceSurface) {
    const what = describePayloadResource(target);
    super(
      `${what[0].toUpperCase()}${what.slice(1)} was not found in ${region}. If it runs in another region, ` +
        `${advice(surface, 'chooseOtherRegion')} and retry.`,
      { actions: actionsFor(surface, [selectRegion]) },
    );
  }
}

const RUNNING: Record<PayloadResourceTarget['resourceType'], string> = {
  processing: 'while the job is InProgress',
  transform: 'while the job is InProgress',
  inference: 'while the endpoint is InService',
  notebook: 'while the notebook instance is InService and its local-mode container runs the helper',
};

/** The resource exists but its containers are not running, so nothing can be reached. */
export class PayloadResourceNotRunningError extends UserFacingError {
  readonly code = 'PayloadResourceNotRunning';
  constructor(target: PayloadResourceTarget, status: string) {
    const what = describePayloadResource(target);
    super(
      `${what[0].toUpperCase()}${what.slice(1)} is ${status}. SSH works only ${RUNNING[target.resourceType]}; ` +
        'start it again with the SSH helper and a wait time (SSH_WAIT_TIME_SECONDS) long enough to connect.',
    );
  }
}
