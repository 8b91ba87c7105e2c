import { SpaceOperationUnsupportedError } from '../sagemaker/spaceErrors';
import type { AwsConnection } from '../aws/awsAccess';
import { findTargetInstances } from '../instances/targetInstances';
import type { SshNode, SshReadiness } from '../instances/matchSshNodes';
import { sshNodesFor } from '../instances/matchSshNodes';
import { isOnline } from '../instances/sshInstance';
import { trainingJobStatus } from '../sagemaker/describeTrainingJob';
import { studioOwnerKind } from '../sagemaker/studio';
import { isRunningStatus, payloadResourceStatus } from '../sagemaker/payloadResources';
import type { PayloadResourceTarget } from '../targets/payloadResource';
import type { ResolvedTarget, SshTarget } from '../targets/sshTarget';
import { describeTarget, isResolved, nodeNameOf } from '../targets/sshTarget';
import { sleep, wasAborted } from '../util/sleep';
import type { CancellationSignal } from '../util/sleep';
import {
  InstanceOfflineError,
  JobNotRunningError,
  NoSshHelperError,
  NodeNotFoundError,
  OperationCancelledError,
  TrainingJobNotFoundError,
} from './connectErrors';
import { PayloadResourceNotFoundError, PayloadResourceNotRunningError } from './payloadResourceErrors';
import { NotForHyperPodError } from './hyperPodErrors';

export interface ResolveOptions {
  /** How long to wait for the container to register and come Online; 0 = look once. */
  readonly waitSeconds?: number;
  readonly signal?: CancellationSignal;
  /** Progress text while waiting, e.g. for a notification. */
  readonly onWaiting?: (message: string) => void;
}

/** Throws TrainingJobNotFoundError or JobNotRunningError unless the job is InProgress. */
export async function checkJobRunning(
  connection: AwsConnection,
  jobName: string,
  signal?: CancellationSignal,
): Promise<void> {
  const status = await trainingJobStatus(await connection.clients.sagemaker(), jobName, signal);
  if (status === undefined) {
    throw new TrainingJobNotFoundError(jobName, connection.clients.region, connection.context.surface);
  }
  if (status !== 'InProgress') {
    throw new JobNotRunningError(jobName, status);
  }
}

/** Throws PayloadResourceNotFoundError or PayloadResourceNotRunningError unless its containers run. */
export async function checkPayloadResourceRunning(
  connection: AwsConnection,
  target: PayloadResourceTarget,
  signal?: CancellationSignal,
): Promise<void> {
  const sagemaker = await connection.clients.sagemaker();
  const status = await payloadResourceStatus(sagemaker, target.resourceType, target.name, signal);
  if (status === undefined) {
    throw new PayloadResourceNotFoundError(target, connection.clients.region, connection.context.surface);
  }
  if (!isRunningStatus(target.resourceType, status)) {
    throw new PayloadResourceNotRunningError(target, status);
  }
}

/** The target with its login user known: a Studio app parsed from an alias asks SageMaker whose it is. */
export async function resolveOwner(connection: AwsConnection, target: SshTarget): Promise<ResolvedTarget> {
  if (isResolved(target)) {
    return target;
  }
  return { ...target, ownerKind: await studioOwnerKind(await connection.clients.sagemaker(), target) };
}

/** The wanted node (`algo-2`), else algo-1, else the only node. */
export function pickNode(nodes: readonly SshNode[], wanted: string | undefined): SshNode | undefined {
  if (wanted) {
    return nodes.find((n) => n.name.toLowerCase() === wanted.toLowerCase());
  }
  return nodes.find((n) => n.name === 'algo-1') ?? nodes[0];
}

/** How long a view's list of registrations stands in for a fresh lookup. */
const SEEN_FRESH_FOR_MS = 60_000;

/** The target's node as a view showed it less than a minute ago, if it was Online then. */
export function recentlySeenNode(
  target: SshTarget,
  seen: Pick<SshReadiness, 'nodes' | 'checkedAt'> | undefined,
): SshNode | undefined {
  if (!seen || Date.now() - seen.checkedAt > SEEN_FRESH_FOR_MS) return undefined;
  const node = pickNode(seen.nodes, nodeNameOf(target));
  return node && isOnline(node.instance) ? node : undefined;
}

async function lookOnce(
  connection: AwsConnection,
  target: SshTarget,
  signal: CancellationSignal | undefined,
): Promise<SshNode[]> {
  const [instances, identity] = await Promise.all([
    findTargetInstances(connection, target, signal),
    connection.identity(),
  ]);
  return sshNodesFor(target, instances, identity.userId);
}

/**
 * Finds the managed instance to connect to: server-side tag filters, the caller's own Online and
 * newest registration preferred. Waits (polling with backoff, cancellable) while the container has
 * not registered yet or is not Online, up to `waitSeconds`. Cancelling aborts the SDK call in flight.
 */
export async function resolveSshNode(
  connection: AwsConnection,
  target: SshTarget,
  options: ResolveOptions = {},
): Promise<SshNode> {
  if (target.kind === 'hyperPodNode') {
    throw new NotForHyperPodError(`Looking up ${describeTarget(target)}`);
  }
  if (target.kind === 'studioSpace') throw new SpaceOperationUnsupportedError(target.spaceName);
  try {
    return await pollForNode(connection, target, options);
  } catch (error) {
    if (wasAborted(error, options.signal)) {
      throw new OperationCancelledError(`Connecting to ${describeTarget(target)}`);
    }
    throw error;
  }
}

async function pollForNode(
  connection: AwsConnection,
  target: SshTarget,
  options: ResolveOptions,
): Promise<SshNode> {
  const what = describeTarget(target);
  const wanted = nodeNameOf(target);
  const waitMs = (options.waitSeconds ?? 0) * 1000;
  const started = Date.now();
  const jobCheck =
    target.kind === 'trainingNode'
      ? checkJobRunning(connection, target.jobName, options.signal)
      : target.kind === 'payloadResource'
        ? checkPayloadResourceRunning(connection, target, options.signal)
        : Promise.resolve();
  jobCheck.catch(() => undefined);
  let delay = 1000;
  for (;;) {
    const [nodes] = await Promise.all([lookOnce(connection, target, options.signal), jobCheck]);
    const node = pickNode(nodes, wanted);
    if (node && isOnline(node.instance)) {
      return node;
    }
    const waited = Math.round((Date.now() - started) / 1000);
    if (Date.now() - started + delay > waitMs) {
      if (nodes.length === 0) {
        throw new NoSshHelperError(what, waited);
      }
      if (!node) {
        throw new NodeNotFoundError(
          what,
          wanted ?? 'algo-1',
          nodes.map((n) => n.name),
        );
      }
      throw new InstanceOfflineError(what, node.instance.instanceId, node.instance.pingStatus, waited);
    }
    options.onWaiting?.(
      node
        ? `Waiting for ${node.instance.instanceId} to come Online (${node.instance.pingStatus})…`
        : `Waiting for ${what} to register with SSM…`,
    );
    await sleep(delay, options.signal);
    if (options.signal?.cancelled) {
      throw new OperationCancelledError(`Connecting to ${what}`);
    }
    delay = Math.min(delay * 2, 10_000);
  }
}
