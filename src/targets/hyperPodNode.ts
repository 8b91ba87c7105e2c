import { InvalidHostAliasError } from './targetErrors';
import { decodeNameLabel, encodeNameLabel } from './nameLabel';
import { checkSageMakerName } from './sagemakerNames';

/**
 * A node of a SageMaker HyperPod cluster. AWS's own SSM agent runs on every node and answers
 * `ssm:StartSession` for the target `sagemaker-cluster:<cluster-id>_<instance-group>-<instance-id>`
 * (cluster id = last segment of the cluster ARN); the nodes run sshd on port 22, reached with the
 * `AWS-StartSSHSession` document.
 */
export interface HyperPodNodeTarget {
  readonly kind: 'hyperPodNode';
  readonly clusterName: string;
  /** The cluster ARN's last segment; undefined when only the alias is known (DescribeCluster finds it). */
  readonly clusterId?: string;
  readonly group: string;
  /** The EC2 instance id, `i-` + 8 or 17 hex digits. */
  readonly instanceId: string;
}

export const HYPERPOD_ALIAS_SUFFIX = '.hyperpod.sagemaker';

/**
 * Login user on HyperPod nodes: the Slurm clusters' DLAMI and AWS's lifecycle scripts set up
 * `ubuntu` (an SSM session itself starts as root; AWS's docs then `sudo su - ubuntu`).
 */
export const HYPERPOD_USER = 'ubuntu';
export const HYPERPOD_HOME = '/home/ubuntu';
/** sshd on HyperPod nodes listens on the standard port; AWS-StartSSHSession forwards to it. */
export const HYPERPOD_SSH_PORT = 22;

const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const CLUSTER_ID = /^[a-z0-9]{12}$/;

export function isEc2InstanceId(value: string): boolean {
  return INSTANCE_ID.test(value);
}

export function isClusterId(value: string): boolean {
  return CLUSTER_ID.test(value);
}

/** The cluster id in a cluster ARN (`arn:aws:sagemaker:<region>:<account>:cluster/<id>`). */
export function clusterIdOfArn(arn: string): string | undefined {
  const id = /:cluster\/([a-z0-9]{12})$/.exec(arn)?.[1];
  return id;
}

/** `i-0123….<group>.<cluster>.hyperpod.sagemaker`, names encoded as every other alias label. */
export function hyperPodAlias(
  target: Pick<HyperPodNodeTarget, 'clusterName' | 'group' | 'instanceId'>,
): string {
  if (!isEc2InstanceId(target.instanceId)) {
    throw new RangeError(
      `HyperPod instance id must look like i-0123456789abcdef0, got "${target.instanceId}"`,
    );
  }
  const group = encodeNameLabel(checkSageMakerName('HyperPod instance group', target.group));
  const cluster = encodeNameLabel(checkSageMakerName('HyperPod cluster', target.clusterName));
  return `${target.instanceId}.${group}.${cluster}${HYPERPOD_ALIAS_SUFFIX}`;
}

/** The reverse of hyperPodAlias, given the labels before the suffix. Throws InvalidHostAliasError. */
export function parseHyperPodLabels(alias: string, labels: readonly string[]): HyperPodNodeTarget {
  if (labels.length !== 3) {
    throw new InvalidHostAliasError(
      alias,
      'a HyperPod alias is <instance-id>.<instance-group>.<cluster>.hyperpod.sagemaker',
    );
  }
  const [instanceId, groupLabel, clusterLabel] = labels as [string, string, string];
  if (!isEc2InstanceId(instanceId)) {
    throw new InvalidHostAliasError(alias, `"${instanceId}" is not an instance id like i-0123456789abcdef0`);
  }
  const group = decodeNameLabel(groupLabel);
  if (group === undefined) {
    throw new InvalidHostAliasError(alias, `"${groupLabel}" is not a valid instance group label`);
  }
  const clusterName = decodeNameLabel(clusterLabel);
  if (clusterName === undefined) {
    throw new InvalidHostAliasError(alias, `"${clusterLabel}" is not a valid cluster label`);
  }
  return { kind: 'hyperPodNode', clusterName, group, instanceId };
}

/** The Session Manager target of a node whose cluster id is known. */
export function hyperPodSsmTarget(target: HyperPodNodeTarget & { readonly clusterId: string }): string {
  return `sagemaker-cluster:${target.clusterId}_${target.group}-${target.instanceId}`;
}

export function describeHyperPodNode(target: HyperPodNodeTarget): string {
  return `HyperPod node ${target.instanceId} (${target.group}) of cluster "${target.clusterName}"`;
}
