import { decodeNameLabel, encodeNameLabel } from './nameLabel';
import { checkSageMakerName } from './sagemakerNames';
import { InvalidHostAliasError } from './targetErrors';

/**
 * A node of a training job created (or updated) with `RemoteDebugConfig.EnableRemoteDebug`:
 * SageMaker runs its own SSM agent in the container, reachable as the Session Manager target
 * `sagemaker-training-job:<job>_algo-<N>`. No payload, no `mi-` instance.
 */
export interface RemoteDebugNodeTarget {
  readonly kind: 'remoteDebugNode';
  readonly jobName: string;
  /** 1-based node number (2 is algo-2). Undefined: algo-1. */
  readonly node?: number;
}

/**
 * `<job>.debug.sagemaker` (algo-1) and `algo-<N>.<job>.debug.sagemaker`: the training alias's form
 * under its own suffix. A suffix of its own, not a node label in `.training.sagemaker`, because one
 * job can have both (the payload's registration and SageMaker's remote debug) and they are different
 * hosts (different sshd, user and way in); `.debug.` is no job-name label (those come before it) and
 * no other kind's suffix, so an alias names exactly one target kind.
 */
export const REMOTE_DEBUG_ALIAS_SUFFIX = '.debug.sagemaker';

const MAX_NODE = 9999;

export function remoteDebugNodeTarget(jobName: string, node?: number): RemoteDebugNodeTarget {
  return node === undefined || node === 1
    ? { kind: 'remoteDebugNode', jobName }
    : { kind: 'remoteDebugNode', jobName, node };
}

export function remoteDebugAlias(target: RemoteDebugNodeTarget): string {
  const node = target.node ?? 1;
  if (!Number.isInteger(node) || node < 1 || node > MAX_NODE) {
    throw new RangeError(`training node must be an integer from 1 to ${MAX_NODE}, got ${node}`);
  }
  const label = encodeNameLabel(checkSageMakerName('training job', target.jobName));
  return `${node === 1 ? '' : `algo-${node}.`}${label}${REMOTE_DEBUG_ALIAS_SUFFIX}`;
}

/** The Session Manager target SageMaker serves for the node. */
export function remoteDebugSsmTarget(target: RemoteDebugNodeTarget): string {
  return `sagemaker-training-job:${target.jobName}_algo-${target.node ?? 1}`;
}

/** Reads `[algo-N.]<job>` (the labels before the suffix) back; throws InvalidHostAliasError. */
export function parseRemoteDebugLabels(alias: string, labels: readonly string[]): RemoteDebugNodeTarget {
  if (labels.length < 1 || labels.length > 2) {
    throw new InvalidHostAliasError(alias, 'a remote-debug alias has the job name and at most a node label');
  }
  let node: number | undefined;
  if (labels.length === 2) {
    const match = /^algo-([1-9][0-9]{0,3})$/.exec(labels[0]!);
    if (!match) throw new InvalidHostAliasError(alias, `"${labels[0]}" is not a node label like algo-2`);
    node = Number(match[1]);
    if (node === 1) {
      throw new InvalidHostAliasError(alias, `algo-1 is written without a node label: ${alias.slice(7)}`);
    }
  }
  const jobLabel = labels[labels.length - 1]!;
  const jobName = decodeNameLabel(jobLabel);
  if (jobName === undefined) {
    throw new InvalidHostAliasError(alias, `"${jobLabel}" is not a valid training job label`);
  }
  return remoteDebugNodeTarget(jobName, node);
}
