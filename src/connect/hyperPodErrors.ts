import type { AdviceSurface } from '../aws/awsContext';
import { actionsFor, advice, selectRegion } from '../aws/awsErrors';
import { UserFacingError } from '../util/errors';

export class HyperPodClusterNotFoundError extends UserFacingError {
  readonly code = 'HyperPodClusterNotFound';
  constructor(
    readonly clusterName: string,
    region: string,
    surface?: AdviceSurface,
  ) {
    super(
      `HyperPod cluster "${clusterName}" was not found in ${region}. Check the name with sm-ssh list (or the ` +
        `HyperPod view); if it runs in another region, ${advice(surface, 'chooseOtherRegion')} and retry.`,
      { actions: actionsFor(surface, [selectRegion]) },
    );
  }
}

export class HyperPodNodeNotFoundError extends UserFacingError {
  readonly code = 'HyperPodNodeNotFound';
  constructor(
    readonly clusterName: string,
    readonly group: string,
    readonly instanceId: string,
    /** The group the node really is in, when it exists in another one. */
    actualGroup?: string,
  ) {
    super(
      actualGroup === undefined
        ? `HyperPod cluster "${clusterName}" has no node ${instanceId}. Nodes are replaced when they fail or the ` +
            'cluster is scaled; refresh the HyperPod view (or run sm-ssh list) and connect to a listed node.'
        : `Node ${instanceId} of HyperPod cluster "${clusterName}" is in instance group "${actualGroup}", not ` +
            `"${group}". Use the alias sm-ssh list shows for it.`,
      { actions: [{ title: 'Refresh', command: 'sagemakerSsh.refreshHyperPod' }] },
    );
  }
}

export class HyperPodNodeNotRunningError extends UserFacingError {
  readonly code = 'HyperPodNodeNotRunning';
  constructor(
    readonly instanceId: string,
    readonly clusterName: string,
    readonly status: string,
    message?: string,
  ) {
    super(
      `HyperPod node ${instanceId} of cluster "${clusterName}" is ${status}${message ? ` (${message})` : ''}. ` +
        'Session Manager reaches only Running nodes; wait until it is Running (the HyperPod view shows its ' +
        'status) or pick another node.',
    );
  }
}

export class NoHyperPodLoginUserError extends UserFacingError {
  readonly code = 'NoHyperPodLoginUser';
  constructor(
    readonly instanceId: string,
    readonly user: string,
  ) {
    super(
      `HyperPod node ${instanceId} has no user "${user}", so there is no authorized_keys to add the key to. ` +
        "Clusters made with AWS's base lifecycle scripts create it; use Open Terminal (a root shell through " +
        'Session Manager) to create the user, then connect again.',
    );
  }
}

/** A command that works on containers running our payload (an `mi-` registration), given a HyperPod node. */
export class NotForHyperPodError extends UserFacingError {
  readonly code = 'NotForHyperPod';
  constructor(readonly what: string) {
    super(
      `${what} runs on our SSM registrations, which HyperPod nodes do not have (they run AWS's own agent). ` +
        'For HyperPod nodes use Connect, Open Terminal (sm-ssh connect / sm-ssh shell <alias>) or ssh -L for ports.',
    );
  }
}
