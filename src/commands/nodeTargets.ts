import type { SshReadiness } from '../instances/matchSshNodes';
import type { ResolvedTarget } from '../targets/sshTarget';
import { studioAppTarget, trainingNodeTarget } from '../targets/sshTarget';
import { SshNodeNode } from '../views/nodes/sshNodeNode';
import { StudioAppNode } from '../views/nodes/studioAppNode';
import { StudioOwnerNode } from '../views/nodes/studioOwnerNode';
import { studioSpaceTarget } from '../targets/studioSpace';
import { TrainingJobNode } from '../views/nodes/trainingJobNode';
import { NotAnSshItemError, NotATrainingJobError, TreeItemGoneError } from './commandErrors';

/** What Connect, Stop Waiting, Open Terminal and Forward Port act on, taken from a tree item. */
export interface NodeTarget {
  /** A job (its node undefined: algo-1 to connect, every node to Stop Waiting), a node, or an app. */
  readonly target: ResolvedTarget;
  /** The registrations the tree showed for the item, and when it read them. */
  readonly seen: Pick<SshReadiness, 'nodes' | 'checkedAt'>;
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
  if (item instanceof StudioOwnerNode && item.entry.owner.kind === 'space') {
    const { domainId, name } = item.entry.owner;
    return { target: studioSpaceTarget(domainId, name), seen: { nodes: [], checkedAt: 0 } };
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
