import type { SshInstance } from './sshInstance';
import { isOnline } from './sshInstance';
import type { SshTarget } from '../targets/sshTarget';
import {
  USABLE_NODE_NAMES,
  describeTarget,
  isUsableNodeName,
  targetResourceName,
} from '../targets/sshTarget';
import { arnResourceType } from '../targets/payloadResource';

/** One node of a resource that has SSH: `algo-2` of a training job, or a Studio app. */
export interface SshNode {
  readonly name: string;
  /** The registration to connect to: the caller's own, Online, newest first. */
  readonly instance: SshInstance;
  /** Older or offline registrations of the same node, e.g. from a restarted container. */
  readonly staleCount: number;
  /** False when the best registration was made for another user (SSHOwner differs). */
  readonly ownedByCaller: boolean;
}

export interface SshReadiness {
  readonly nodes: readonly SshNode[];
  readonly online: number;
  /** "SSH 2/2 online", "SSH 1/2 online", "SSH offline" or "no SSH". */
  readonly label: string;
  /** When the registrations were read from SSM (epoch ms). */
  readonly checkedAt: number;
}

const algoHostPattern = /^algo-\d+$/;

/**
 * The node a computer name names, for registrations without an SSHHost tag (upstream's payload
 * writes none). The agent reports `hostname --fqdn`: `algo-2`, or `algo-2.<domain>` where the
 * container's hosts file gives the name a domain; anything else (a local-mode `algo-1-x7k2q`, an
 * `ip-10-…` or `aws` hostname) names no node.
 */
export function nodeOfComputerName(computerName: string | undefined): string | undefined {
  const first = computerName?.split('.')[0];
  return first !== undefined && algoHostPattern.test(first) ? first : undefined;
}

/** Tag values come from containers, so they are quoted and cut short before they reach a log. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/**
 * Why a training job registration cannot be used as a node (a hand-made or damaged SSHHost tag
 * such as `algo-0`, `algo-10000` or garbage), or undefined when it can.
 */
export function unusableNodeReason(instance: SshInstance): string | undefined {
  const { host } = instance.tags;
  if (host !== undefined) {
    return isUsableNodeName(host) ? undefined : `its SSHHost tag ${quoted(host)} is not ${USABLE_NODE_NAMES}`;
  }
  const computer = nodeOfComputerName(instance.computerName);
  if (computer && !isUsableNodeName(computer)) {
    return `its computer name ${quoted(instance.computerName ?? '')} is not ${USABLE_NODE_NAMES}`;
  }
  return undefined;
}

function lower(value: string | undefined): string {
  return (value ?? '').toLowerCase();
}

/** Does this registration belong to the target? Names case-insensitively, ARN resource type checked. */
export function instanceMatchesTarget(instance: SshInstance, target: SshTarget): boolean {
  const { resourceName, resourceArn } = instance.tags;
  if (
    target.kind === 'payloadResource' &&
    target.resourceType === 'inference' &&
    !resourceName &&
    !resourceArn
  ) {
    // An endpoint container cannot name its endpoint: its registrations come from the endpoint's
    // own log (endpointInstances.ts), so an unnamed one is the endpoint's.
    return true;
  }
  // SageMaker's remote debug has no registration of ours: its agent is not a customer's mi- instance.
  if (target.kind === 'remoteDebugNode') return false;
  if (lower(resourceName) !== lower(targetResourceName(target)) || !resourceArn) {
    return false;
  }
  const arn = lower(resourceArn);
  if (target.kind === 'hyperPodNode') {
    return false; // HyperPod nodes run AWS's agent, not our payload: they have no registration
  }
  if (target.kind === 'studioSpace') return false; // reached through sagemaker:StartSession, no payload
  if (target.kind === 'trainingNode') {
    return arn.includes(':training-job/') && arn.endsWith(`/${lower(target.jobName)}`);
  }
  if (target.kind === 'payloadResource') {
    return (
      arn.includes(`:${arnResourceType(target.resourceType)}/`) && arn.endsWith(`/${lower(target.name)}`)
    );
  }
  // arn:…:app/<domain>/<space-or-user>/<type>/<app>
  const owner = `:app/${lower(target.domainId)}/${lower(target.ownerName)}/`;
  const type = target.appType === undefined ? '' : `${lower(target.appType)}/`;
  return arn.includes(`${owner}${type}`) && arn.endsWith(`/${lower(target.appName)}`);
}

function nodeName(instance: SshInstance, target: SshTarget): string {
  if (target.kind === 'studioApp') {
    return target.appName;
  }
  if (target.kind === 'hyperPodNode') {
    return target.instanceId;
  }
  if (instance.tags.host) {
    return instance.tags.host;
  }
  const computer = instance.computerName;
  return nodeOfComputerName(computer) ?? computer ?? instance.instanceId;
}

function preference(instance: SshInstance, callerUserId: string | undefined): number[] {
  const own = callerUserId !== undefined && instance.tags.owner === callerUserId ? 1 : 0;
  return [own, isOnline(instance) ? 1 : 0, instance.tags.timestamp ?? 0, instance.lastPing?.getTime() ?? 0];
}

function better(a: SshInstance, b: SshInstance, callerUserId: string | undefined): boolean {
  const pa = preference(a, callerUserId);
  const pb = preference(b, callerUserId);
  for (let i = 0; i < pa.length; i++) {
    if (pa[i] !== pb[i]) {
      return pa[i] > pb[i];
    }
  }
  return a.instanceId < b.instanceId;
}

function compareNodeNames(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * The SSH nodes of a target, each with its best registration, in natural order (algo-2 before
 * algo-10). A registration whose node name cannot be used is left out and reported to `onSkipped`,
 * so one bad tag does not break the list for everyone.
 */
export function sshNodesFor(
  target: SshTarget,
  instances: readonly SshInstance[],
  callerUserId: string | undefined,
  onSkipped?: (message: string) => void,
): SshNode[] {
  const byNode = new Map<string, SshInstance[]>();
  for (const instance of instances) {
    if (instanceMatchesTarget(instance, target)) {
      const unusable = target.kind !== 'studioApp' ? unusableNodeReason(instance) : undefined;
      if (unusable) {
        const what = describeTarget(target);
        onSkipped?.(`Ignoring the SSM registration ${instance.instanceId} of ${what}: ${unusable}.`);
        continue;
      }
      const name = nodeName(instance, target);
      byNode.set(name, [...(byNode.get(name) ?? []), instance]);
    }
  }
  const nodes: SshNode[] = [];
  for (const [name, candidates] of byNode) {
    const best = candidates.reduce((a, b) => (better(b, a, callerUserId) ? b : a));
    nodes.push({
      name,
      instance: best,
      staleCount: candidates.length - 1,
      ownedByCaller: callerUserId === undefined || best.tags.owner === callerUserId,
    });
  }
  return nodes.sort((a, b) => compareNodeNames(a.name, b.name));
}

export function readinessOf(nodes: readonly SshNode[], checkedAt: number = Date.now()): SshReadiness {
  const online = nodes.filter((n) => isOnline(n.instance)).length;
  let label: string;
  if (nodes.length === 0) {
    label = 'no SSH';
  } else if (online === 0) {
    label = 'SSH offline';
  } else {
    label = `SSH ${online}/${nodes.length} online`;
  }
  return { nodes, online, label, checkedAt };
}
