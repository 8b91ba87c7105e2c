import type { SshReadiness } from '../instances/matchSshNodes';
import type { SshTarget } from '../targets/sshTarget';
import { ROOT_USER, STUDIO_SPACE_USER } from '../ssh/config/sshConfigStore';
import { SshNodeNode } from '../views/nodes/sshNodeNode';
import { StudioAppNode } from '../views/nodes/studioAppNode';
import { TrainingJobNode } from '../views/nodes/trainingJobNode';
import { UserFacingError } from '../util/errors';

/** What Connect and Stop Waiting act on, taken from the tree item they were run from. */
export interface NodeTarget {
  readonly target: SshTarget;
  /** `algo-N` for a node of a training job; undefined for the job itself (algo-1) and for apps. */
  readonly node?: string;
  readonly user: string;
  /** Every SSH node of the job, for Stop Waiting on a whole job. */
  readonly allNodes: readonly {
    readonly name: string;
    readonly instanceId: string;
    readonly online: boolean;
  }[];
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

function nodesOf(node: TrainingJobNode): NodeTarget['allNodes'] {
  return node.entry.readiness.nodes.map((n) => ({
    name: n.name,
    instanceId: n.instance.instanceId,
    online: n.instance.pingStatus === 'Online',
  }));
}

export function nodeTargetOf(item: unknown, command: string): NodeTarget {
  if (item === undefined) {
    throw new TreeItemGoneError(command);
  }
  if (item instanceof TrainingJobNode) {
    return {
      target: { kind: 'training-job', jobName: item.entry.job.name },
      user: ROOT_USER,
      allNodes: nodesOf(item),
      seen: item.entry.readiness,
    };
  }
  if (item instanceof SshNodeNode) {
    const { node } = item;
    return {
      target: { kind: 'training-job', jobName: item.jobName },
      node: node.name,
      user: ROOT_USER,
      allNodes: [
        {
          name: node.name,
          instanceId: node.instance.instanceId,
          online: node.instance.pingStatus === 'Online',
        },
      ],
      seen: { nodes: [node], checkedAt: item.checkedAt },
    };
  }
  if (item instanceof StudioAppNode) {
    const { app, readiness } = item.entry;
    return {
      target: {
        kind: 'app',
        domainId: app.domainId,
        ownerName: app.ownerName,
        appName: app.appName,
        appType: app.appType,
      },
      user: app.ownerKind === 'space' ? STUDIO_SPACE_USER : ROOT_USER,
      allNodes: readiness.nodes.map((n) => ({
        name: n.name,
        instanceId: n.instance.instanceId,
        online: n.instance.pingStatus === 'Online',
      })),
      seen: readiness,
    };
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
