import type { SshReadiness } from '../instances/matchSshNodes';
import type { ResolvedTarget } from '../targets/sshTarget';
import { studioAppTarget, trainingNodeTarget } from '../targets/sshTarget';
import { SshNodeNode } from '../views/nodes/sshNodeNode';
import { RemoteDebugNodeNode } from '../views/nodes/remoteDebugNodeNode';
import { remoteDebugNodeTarget } from '../targets/remoteDebugNode';
import { StudioAppNode } from '../views/nodes/studioAppNode';
import { HyperPodNodeNode } from '../views/nodes/hyperPodNodeNode';
import type { SeenHyperPodNode } from '../connect/resolveHyperPodNode';
import { StudioOwnerNode } from '../views/nodes/studioOwnerNode';
import { studioSpaceTarget } from '../targets/studioSpace';
import { TrainingJobNode } from '../views/nodes/trainingJobNode';
import { PayloadResourceNode } from '../views/nodes/payloadResourceNode';
import { NotAnSshItemError, NotATrainingJobError, TreeItemGoneError } from './commandErrors';

/** What Connect, Stop Waiting, Open Terminal and Forward Port act on, taken from a tree item. */
export interface NodeTarget {
  /** A job (its node undefined: algo-1 to connect, every node to Stop Waiting), a node, or an app. */
  readonly target: ResolvedTarget;
  /** The registrations the tree showed for the item, and when it read them. */
  readonly seen: Pick<SshReadiness, 'nodes' | 'checkedAt'>;
  /** A HyperPod node as the HyperPod view listed it. */
  readonly seenHyperPod?: SeenHyperPodNode;
}

export function nodeTargetOf(item: unknown, command: string): NodeTarget {
  if (item === undefined) {
    throw new TreeItemGoneError(command);
  }
  if (item instanceof TrainingJobNode) {
    const { job, readiness } = item.entry;
    // A job reachable only through remote debug: its algo-1 there.
    if (job.remoteDebug === true && readiness.nodes.length === 0) {
      return { target: remoteDebugNodeTarget(job.name), seen: readiness };
    }
    return { target: trainingNodeTarget(job.name), seen: readiness };
  }
  if (item instanceof RemoteDebugNodeNode) {
    return { target: item.target, seen: { nodes: [], checkedAt: 0 } };
  }
  if (item instanceof PayloadResourceNode) {
    return { target: item.target, seen: item.entry.readiness };
  }
  if (item instanceof SshNodeNode) {
    return {
      target: item.target,
      seen: { nodes: [item.node], checkedAt: item.checkedAt },
    };
  }
  if (item instanceof HyperPodNodeNode) {
    return {
      target: item.target,
      seen: { nodes: [], checkedAt: item.checkedAt },
      seenHyperPod: { node: item.node, checkedAt: item.checkedAt },
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
  if ((item instanceof SshNodeNode && !item.payload) || item instanceof RemoteDebugNodeNode)
    return { jobName: item.jobName };
  throw new NotATrainingJobError(command);
}
