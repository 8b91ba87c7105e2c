import type { StudioApp, StudioOwnerKind } from '../sagemaker/studio';
import type { PayloadResourceTarget } from './payloadResource';
import { describePayloadResource, payloadNodeTarget } from './payloadResource';
import type { HyperPodNodeTarget } from './hyperPodNode';
import { describeHyperPodNode, HYPERPOD_HOME, HYPERPOD_USER } from './hyperPodNode';
import type { RemoteDebugNodeTarget } from './remoteDebugNode';
import { remoteDebugNodeTarget } from './remoteDebugNode';
import type { StudioSpaceTarget } from './studioSpace';
import { SPACE_HOME, SPACE_LOGIN_USER, describeSpace } from './studioSpace';

/**
 * A thing you can ssh into: the one model the extension and the CLI share. Its alias
 * (`targetAlias.ts`), login user, home folder and display name all derive from it, so two callers
 * cannot write different hosts for the same target.
 *
 * Besides the payload's kinds (training nodes, Studio apps, `payloadResource`), the native kinds
 * need no payload and reach SageMaker's own agents: `remoteDebugNode` (SSM target
 * `sagemaker-training-job:<job>_algo-N`), `studioSpace` (sagemaker:StartSession) and `hyperPodNode`
 * (`sagemaker-cluster:<id>_<group>-<instance>`). Each kind lives in its own file with its alias form.
 */
export type SshTarget =
  | TrainingNodeTarget
  | StudioAppTarget
  | StudioSpaceTarget
  | PayloadResourceTarget
  | HyperPodNodeTarget
  | RemoteDebugNodeTarget;

/** A node of a training job whose container runs our payload (SSM hybrid activation). */
export interface TrainingNodeTarget {
  readonly kind: 'trainingNode';
  readonly jobName: string;
  /**
   * 1-based node number (2 is algo-2). Undefined: algo-1, or the only node; for operations on a
   * whole job (Stop Waiting), every node.
   */
  readonly node?: number;
}

/** A Studio app in a space (JupyterLab, Code Editor) or in a user profile (Studio Classic). */
export interface StudioAppTarget {
  readonly kind: 'studioApp';
  readonly domainId: string;
  /** The space or user profile that owns the app. */
  readonly ownerName: string;
  /** Undefined when only the alias is known, which does not say: `resolveOwnerKind` asks SageMaker. */
  readonly ownerKind?: StudioOwnerKind;
  readonly appName: string;
  /**
   * JupyterLab, CodeEditor, KernelGateway…: two apps of one space may share a name. Undefined
   * matches any type (ProxyCommands written before the type was recorded).
   */
  readonly appType?: string;
}

/** A target whose login user is known: a Studio app's owner kind decides it. */
export type ResolvedTarget =
  | TrainingNodeTarget
  | (StudioAppTarget & { readonly ownerKind: StudioOwnerKind })
  | StudioSpaceTarget
  | PayloadResourceTarget
  | HyperPodNodeTarget
  | RemoteDebugNodeTarget;

/** The target of an app SageMaker listed (ListApps says whose it is). */
export function studioAppTarget(app: StudioApp): ResolvedTarget {
  const { domainId, ownerKind, ownerName, appName, appType } = app;
  return { kind: 'studioApp', domainId, ownerKind, ownerName, appName, appType };
}

/** Login user in training containers and Studio Classic apps (the container runs as root). */
export const ROOT_USER = 'root';
/** Login user in Studio spaces: the app runs as sagemaker-user (with sudo); upstream's ssh config says so. */
export const STUDIO_SPACE_USER = 'sagemaker-user';

/** The node names an alias can carry: algo-1 … algo-9999, no leading zeros (see trainingAlias). */
const NODE_NAME = /^algo-([1-9][0-9]{0,3})$/;
/** How errors describe NODE_NAME. */
export const USABLE_NODE_NAMES = 'a node name from algo-1 to algo-9999';

export function isUsableNodeName(name: string): boolean {
  return NODE_NAME.test(name);
}

/** A job (no node name: algo-1, or the only node) or one of its nodes; names outside NODE_NAME count as none. */
export function trainingNodeTarget(jobName: string, nodeName?: string): TrainingNodeTarget {
  const match = nodeName === undefined ? null : NODE_NAME.exec(nodeName);
  return match
    ? { kind: 'trainingNode', jobName, node: Number(match[1]) }
    : { kind: 'trainingNode', jobName };
}

/**
 * The target of one node of a job-like target (`algo-2` of a training or processing job); a name
 * that is no node number means the job itself (algo-1 or the only node). A Studio app or a HyperPod
 * node is its own node.
 */
export function targetForNode(target: SshTarget, nodeName: string): SshTarget {
  if (target.kind === 'studioApp' || target.kind === 'studioSpace' || target.kind === 'hyperPodNode')
    return target;
  if (target.kind === 'trainingNode') return trainingNodeTarget(target.jobName, nodeName);
  if (target.kind === 'remoteDebugNode') {
    const node = trainingNodeTarget(target.jobName, nodeName).node;
    return remoteDebugNodeTarget(target.jobName, node);
  }
  return payloadNodeTarget(target, nodeName);
}

/** `algo-N` when the target names a node, else undefined (algo-1 or the only node; a Studio app). */
export function nodeNameOf(target: SshTarget): string | undefined {
  return (target.kind === 'trainingNode' ||
    target.kind === 'payloadResource' ||
    target.kind === 'remoteDebugNode') &&
    target.node !== undefined
    ? `algo-${target.node}`
    : undefined;
}

/** The name the container tags its registration with (SSHResourceName). */
export function targetResourceName(target: SshTarget): string {
  if (target.kind === 'payloadResource') return target.name;
  if (target.kind === 'hyperPodNode') return target.clusterName;
  if (target.kind === 'studioSpace') return target.spaceName;
  return target.kind === 'studioApp' ? target.appName : target.jobName;
}

export function isResolved(target: SshTarget): target is ResolvedTarget {
  return target.kind !== 'studioApp' || target.ownerKind !== undefined;
}

/**
 * The user ssh logs in as: the user the container's main process runs as. Processing, transform and
 * endpoint containers run as root; so does a notebook instance's payload, which upstream runs in a
 * SageMaker local-mode container on the instance (not on the instance itself, where ec2-user is).
 */
export function loginUser(target: ResolvedTarget): string {
  if (target.kind === 'hyperPodNode') return HYPERPOD_USER;
  if (target.kind === 'studioSpace') return SPACE_LOGIN_USER;
  return target.kind === 'studioApp' && target.ownerKind === 'space' ? STUDIO_SPACE_USER : ROOT_USER;
}

/** The login user's home folder in the container. */
export function homeFolder(target: ResolvedTarget): string {
  if (target.kind === 'hyperPodNode') return HYPERPOD_HOME;
  if (target.kind === 'studioSpace') return SPACE_HOME;
  const user = loginUser(target);
  return user === ROOT_USER ? '/root' : `/home/${user}`;
}

/** How messages name the target: `training job "x"`, `Studio app "default" of team in d-…`. */
export function describeTarget(target: SshTarget): string {
  if (target.kind === 'payloadResource') return describePayloadResource(target);
  if (target.kind === 'trainingNode') {
    return `training job "${target.jobName}"`;
  }
  if (target.kind === 'hyperPodNode') return describeHyperPodNode(target);
  if (target.kind === 'remoteDebugNode') {
    return `algo-${target.node ?? 1} of training job "${target.jobName}" (remote debug)`;
  }
  if (target.kind === 'studioSpace') return describeSpace(target);
  return `Studio app "${target.appName}" of ${target.ownerName} in ${target.domainId}`;
}
