import type { AwsConnection } from '../aws/awsAccess';
import { findSshInstances } from '../instances/findSshInstances';
import type { SshNode } from '../instances/matchSshNodes';
import { sshNodesFor } from '../instances/matchSshNodes';
import { isOnline } from '../instances/sshInstance';
import type { SshTarget } from '../instances/sshTarget';
import { targetResourceName } from '../instances/sshTarget';
import { abortable, sleep, wasAborted } from '../util/sleep';
import type { CancellationSignal } from '../util/sleep';
import {
  InstanceOfflineError,
  JobNotRunningError,
  NoSshHelperError,
  NodeNotFoundError,
  OperationCancelledError,
  TrainingJobNotFoundError,
} from './connectErrors';
import { isAwsError } from '../util/errors';

export interface ResolveOptions {
  /** The node to reach (`algo-2`); default algo-1, or the only node. */
  readonly node?: string;
  /** How long to wait for the container to register and come Online; 0 = look once. */
  readonly waitSeconds?: number;
  readonly signal?: CancellationSignal;
  /** Progress text while waiting, e.g. for a notification. */
  readonly onWaiting?: (message: string) => void;
}

function describeTarget(target: SshTarget): string {
  return target.kind === 'training-job'
    ? `training job "${target.jobName}"`
    : `Studio app "${target.appName}" of ${target.ownerName} in ${target.domainId}`;
}

/** Throws TrainingJobNotFoundError or JobNotRunningError unless the job is InProgress. */
export async function checkJobRunning(
  connection: AwsConnection,
  jobName: string,
  signal?: CancellationSignal,
): Promise<void> {
  const { DescribeTrainingJobCommand } = await import('@aws-sdk/client-sagemaker');
  const sagemaker = await connection.clients.sagemaker();
  try {
    const job = await sagemaker.send(
      new DescribeTrainingJobCommand({ TrainingJobName: jobName }),
      abortable(signal),
    );
    if (job.TrainingJobStatus !== 'InProgress') {
      throw new JobNotRunningError(jobName, job.TrainingJobStatus ?? 'not running');
    }
  } catch (error) {
    if (
      isAwsError(error, 'ResourceNotFound') ||
      (isAwsError(error, 'ValidationException') && /not found/i.test(error.message))
    ) {
      throw new TrainingJobNotFoundError(jobName, connection.clients.region, connection.context.surface);
    }
    throw error;
  }
}

/** The wanted node (`algo-2`), else algo-1, else the only node. */
export function pickNode(nodes: readonly SshNode[], wanted: string | undefined): SshNode | undefined {
  if (wanted) {
    return nodes.find((n) => n.name.toLowerCase() === wanted.toLowerCase());
  }
  return nodes.find((n) => n.name === 'algo-1') ?? nodes[0];
}

async function lookOnce(
  connection: AwsConnection,
  target: SshTarget,
  signal: CancellationSignal | undefined,
): Promise<SshNode[]> {
  const [ssm, identity] = await Promise.all([connection.clients.ssm(), connection.identity()]);
  const instances = await findSshInstances(ssm, { resourceNames: [targetResourceName(target)], signal });
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
  const waitMs = (options.waitSeconds ?? 0) * 1000;
  const started = Date.now();
  const jobCheck =
    target.kind === 'training-job'
      ? checkJobRunning(connection, target.jobName, options.signal)
      : Promise.resolve();
  jobCheck.catch(() => undefined);
  let delay = 1000;
  for (;;) {
    const [nodes] = await Promise.all([lookOnce(connection, target, options.signal), jobCheck]);
    const node = pickNode(nodes, options.node);
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
          options.node ?? 'algo-1',
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
