import type { AdviceSurface } from '../aws/awsContext';
import { actionsFor, advice, selectRegion } from '../aws/awsErrors';
import { UserFacingError } from '../util/errors';

export class RemoteCommandFailedError extends UserFacingError {
  readonly code = 'RemoteCommandFailed';
  constructor(
    readonly purpose: string,
    readonly instanceId: string,
    readonly status: string,
    readonly stderr: string,
  ) {
    super(
      `${purpose} failed on ${instanceId} (${status}). ` +
        (stderr.trim()
          ? `The container said: ${stderr.trim().slice(-1500)}`
          : 'The container printed no error.'),
      { actions: [{ title: 'Show Log', command: 'sagemakerSsh.showLog' }] },
    );
  }
}

export class RemoteCommandTimeoutError extends UserFacingError {
  readonly code = 'RemoteCommandTimeout';
  constructor(purpose: string, instanceId: string, seconds: number) {
    super(
      `${purpose} on ${instanceId} did not finish within ${seconds} s. The SSM agent in the container may be ` +
        'busy or disconnected; check the job log in CloudWatch and retry.',
    );
  }
}

export class AgentStoppedRespondingError extends UserFacingError {
  readonly code = 'AgentStoppedResponding';
  /** `pingStatus`: what SSM says of the agent now ('gone' when the instance is deregistered). */
  constructor(purpose: string, instanceId: string, pingStatus: string | undefined) {
    const what =
      pingStatus === undefined || pingStatus === 'Online'
        ? 'the SSM agent in the container never reported the result (SSM still lists it as Online: it may have ' +
          'restarted or be stuck)'
        : `the SSM agent in the container stopped responding while the command ran (its status is now ${pingStatus})`;
    super(
      `${purpose} on ${instanceId} got no answer: ${what}. Check that the container still runs (the job or app ` +
        "status) and look for the agent's last lines in the job's CloudWatch log, then retry.",
      { actions: [{ title: 'Show Log', command: 'sagemakerSsh.showLog' }] },
    );
  }
}

export class InstanceGoneError extends UserFacingError {
  readonly code = 'InstanceGone';
  constructor(
    readonly purpose: string,
    readonly instanceId: string,
  ) {
    super(
      `${purpose} failed: the container's SSM registration ${instanceId} is offline or gone, so SSM cannot reach ` +
        'it. The job or app may have ended or restarted; refresh the view (or run sm-ssh list) and connect again.',
      { actions: [{ title: 'Refresh', command: 'sagemakerSsh.refresh' }] },
    );
  }
}

export class OperationCancelledError extends UserFacingError {
  readonly code = 'Cancelled';
  constructor(what: string) {
    super(`${what} was cancelled.`);
  }
}

const addHelper = {
  title: 'Add SSH Helper to Training Code…',
  command: 'sagemakerSsh.addSshHelper',
} as const;

export class TrainingJobNotFoundError extends UserFacingError {
  readonly code = 'TrainingJobNotFound';
  constructor(jobName: string, region: string, surface?: AdviceSurface) {
    super(
      `Training job "${jobName}" was not found in ${region}. If it runs in another region, ` +
        `${advice(surface, 'chooseOtherRegion')} and retry.`,
      { actions: actionsFor(surface, [selectRegion]) },
    );
  }
}

export class JobNotRunningError extends UserFacingError {
  readonly code = 'JobNotRunning';
  constructor(jobName: string, status: string) {
    super(
      `Training job "${jobName}" is ${status}. SSH works only while a job is InProgress; start a new job with ` +
        'the SSH helper and a wait time (SSH_WAIT_TIME_SECONDS) long enough to connect.',
    );
  }
}

export class NoSshHelperError extends UserFacingError {
  readonly code = 'NoSshHelper';
  constructor(resource: string, waitedSeconds: number) {
    super(
      `No container of ${resource} has registered with SSM${waitedSeconds ? ` within ${waitedSeconds} s` : ''}, so ` +
        'it has no SSH helper running. Add the helper to the training code (call setup_and_start_ssh() at the top ' +
        'of the entry script and pass SSH_SSM_ROLE / SSH_OWNER_TAG in the job environment), or check the job log ' +
        'in CloudWatch for sm-init-ssm errors.',
      { actions: [addHelper] },
    );
  }
}

export class NodeNotFoundError extends UserFacingError {
  readonly code = 'NodeNotFound';
  constructor(resource: string, node: string, available: readonly string[]) {
    super(
      `${resource} has no SSH node "${node}". Nodes with SSH: ${available.join(', ') || 'none'}. Only ranks below ` +
        'SSH_INSTANCE_COUNT start SSH.',
    );
  }
}

export class InstanceOfflineError extends UserFacingError {
  readonly code = 'InstanceOffline';
  constructor(resource: string, instanceId: string, pingStatus: string, waitedSeconds: number) {
    super(
      `The SSM agent of ${resource} (${instanceId}) is ${pingStatus}${waitedSeconds ? ` after ${waitedSeconds} s` : ''}. ` +
        'The container may have stopped or lost its network; check the job or app status and its CloudWatch log.',
    );
  }
}

export class AdvancedTierRequiredError extends UserFacingError {
  readonly code = 'AdvancedTierRequired';
  constructor(region: string, account: string, awsMessage: string) {
    super(
      `Session Manager needs the SSM advanced-instances tier for SageMaker containers in ${region} (${awsMessage}). ` +
        'An administrator can enable it once per region: aws ssm update-service-setting --setting-id ' +
        `arn:aws:ssm:${region}:${account}:servicesetting/ssm/managed-instance/activation-tier --setting-value advanced`,
    );
  }
}

export class NoHostKeysError extends UserFacingError {
  readonly code = 'NoHostKeys';
  constructor(instanceId: string) {
    super(
      `The container (${instanceId}) reported no SSH host keys, so its identity cannot be pinned. Make sure sshd ` +
        'is installed and started there (sm-setup-ssh does both), then retry.',
    );
  }
}
