import type { SshReadiness } from '../instances/matchSshNodes';
import type { ResolvedTarget } from '../targets/sshTarget';
import { studioAppTarget, trainingNodeTarget } from '../targets/sshTarget';
import { SshNodeNode } from '../views/nodes/sshNodeNode';
import { StudioAppNode } from '../views/nodes/studioAppNode';
import { TrainingJobNode } from '../views/nodes/trainingJobNode';
import { UserFacingError } from '../util/errors';

/** What Connect, Stop Waiting, Open Terminal and Forward Port act on, taken from a tree item. */
export interface NodeTarget {
  /** A job (its node undefined: algo-1 to connect, every node to Stop Waiting), a node, or an app. */
  readonly target: ResolvedTarget;
  /** The registrations the tree showed for the item, and when it read them. */
  readonly seen: Pick<SshReadiness, 'nodes' | 'checkedAt'>;
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

export function nodeTargetOf(item: unknown, command: string): NodeTarget {
  if (item === undefined) {
    throw new TreeItemGoneError(command);
  }
  if (item instanceof TrainingJobNode) {
    return { target: trainingNodeTarget(item.entry.job.name), seen: item.entry.readiness };
  }
  if (item instanceof SshNodeNode) {
    return {
      target: trainingNodeTarget(item.jobName, item.node.name),
      seen: { nodes: [item.node], checkedAt: item.checkedAt },
    };
  }
  if (item instanceof StudioAppNode) {
    return { target: studioAppTarget(item.entry.app), seen: item.entry.readiness };
  }
  throw new NotAnSshItemError(command);
}

/** The training job a tree item belongs to (a job, or a node of one). */
export function trainingJobNameOf(item: unknown, command: string): { jobName: string; status?: string } {
  if (item === undefined) throw new TreeItemGoneError(command);
  if (item instanceof TrainingJobNode) return { jobName: item.entry.job.name, status: item.entry.job.status };
  if (item instanceof SshNodeNode) return { jobName: item.jobName };
  throw new NotATrainingJobError(command);
}
