import type { AdviceSurface } from '../aws/awsContext';
import { UserFacingError } from '../util/errors';

/** Stop Waiting found no Online node to send the command to. */
export class NoOnlineNodeError extends UserFacingError {
  readonly code = 'NoOnlineNode';
  /** `alias` names the target on the command line, `name` (job or app) in the views. */
  constructor(alias: string, name: string, surface: AdviceSurface | undefined) {
    super(
      surface === 'cli'
        ? `No online SSH node of ${alias} was found, so nothing could be told to stop waiting. Run ` +
            `"sm-ssh list ${alias}" to see each node's SSM ping status: a node comes Online once sm-setup-ssh ` +
            'has started in its container, then run stop-waiting again.'
        : `No SSH node of ${name} is online, so Stop Waiting cannot reach it through SSM. Refresh the view; if ` +
            'the agent stays offline, check the job log in CloudWatch (the job may already have moved past sm-wait).',
      surface === 'cli'
        ? {}
        : { actions: [{ title: 'Refresh', command: 'sagemakerSsh.refreshTrainingJobs' }] },
    );
  }
}

/** Stop Waiting on a node without the payload: no sm-wait runs there, so nothing is held. */
export class NothingWaitsError extends UserFacingError {
  readonly code = 'NothingWaits';
  constructor(where: string) {
    super(
      `Nothing waits in ${where}: no sm-wait process runs there, so there is nothing to release. Stop ` +
        "Waiting releases training held by the SSH helper's sm-wait; a job without it runs on by itself.",
    );
  }
}
