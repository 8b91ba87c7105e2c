import type { AwsConnection } from '../aws/awsAccess';
import type { SshTarget } from '../targets/sshTarget';
import { targetResourceName } from '../targets/sshTarget';
import type { CancellationSignal } from '../util/sleep';
import { endpointInstanceIds } from './endpointInstances';
import { findSshInstances } from './findSshInstances';
import type { SshInstance } from './sshInstance';
import type { NodeLogGroup } from './loggedNodeNames';
import { namesNoNode, nodesByLoggedIp, withLoggedNodes } from './loggedNodeNames';
import { instanceMatchesTarget } from './matchSshNodes';

/** An endpoint: found through its log, since its registrations carry no name. */
function isEndpoint(target: SshTarget): boolean {
  return target.kind === 'payloadResource' && target.resourceType === 'inference';
}

/**
 * The registrations that may belong to one target: a tag-filtered DescribeInstanceInformation on
 * its name, or for an endpoint the instances its log names (one FilterLogEvents more).
 */
export async function findTargetInstances(
  connection: AwsConnection,
  target: SshTarget,
  signal?: CancellationSignal,
): Promise<SshInstance[]> {
  const ssm = connection.clients.ssm();
  if (isEndpoint(target)) {
    const ids = await endpointInstanceIds(await connection.clients.logs(), targetResourceName(target), {
      signal,
    });
    return findSshInstances(await ssm, { instanceIds: ids, signal });
  }
  const instances = await findSshInstances(await ssm, {
    resourceNames: [targetResourceName(target)],
    signal,
  });
  return nameNodesFromLog(connection, target, instances, signal);
}

function nodeLogGroupOf(target: SshTarget): NodeLogGroup | undefined {
  if (target.kind === 'trainingNode') return '/aws/sagemaker/TrainingJobs';
  if (target.kind === 'payloadResource' && target.resourceType === 'processing') {
    return '/aws/sagemaker/ProcessingJobs';
  }
  return undefined;
}

/**
 * Registrations of one job that name no node (upstream's, on SageMaker: ComputerName "aws" on every
 * node) get their node from the job's log. Only when two or more such registrations from different
 * addresses would otherwise fold into one node; a lone one is the job's only node anyway.
 */
export async function nameNodesFromLog(
  connection: AwsConnection,
  target: SshTarget,
  instances: readonly SshInstance[],
  signal?: CancellationSignal,
): Promise<SshInstance[]> {
  const group = nodeLogGroupOf(target);
  const unnamed = instances.filter((i) => instanceMatchesTarget(i, target) && namesNoNode(i) && i.ipAddress);
  if (!group || new Set(unnamed.map((i) => i.ipAddress)).size < 2) return [...instances];
  const byIp = await nodesByLoggedIp(
    await connection.clients.logs(),
    group,
    targetResourceName(target),
    signal,
  );
  return withLoggedNodes(instances, byIp);
}

/**
 * The registrations of several endpoints, each endpoint's own: one FilterLogEvents per endpoint
 * (endpoints are few, and their log is the only link), then one DescribeInstanceInformation for all.
 */
export async function findEndpointInstances(
  connection: AwsConnection,
  endpointNames: readonly string[],
  signal?: CancellationSignal,
): Promise<Map<string, SshInstance[]>> {
  const logs = await connection.clients.logs();
  const idsByEndpoint = new Map(
    await Promise.all(
      endpointNames.map(async (name) => [name, await endpointInstanceIds(logs, name, { signal })] as const),
    ),
  );
  const allIds = [...new Set([...idsByEndpoint.values()].flat())];
  const instances = allIds.length
    ? await findSshInstances(await connection.clients.ssm(), { instanceIds: allIds, signal })
    : [];
  const byId = new Map(instances.map((instance) => [instance.instanceId, instance]));
  return new Map(
    [...idsByEndpoint].map(([name, ids]) => [
      name,
      ids.map((id) => byId.get(id)).filter((i): i is SshInstance => i !== undefined),
    ]),
  );
}

/** nameNodesFromLog for every job of a listing: one FilterLogEvents per job that needs it (usually none). */
export async function nameNodesOfJobs(
  connection: AwsConnection,
  targets: readonly SshTarget[],
  instances: readonly SshInstance[],
  signal?: CancellationSignal,
): Promise<SshInstance[]> {
  let named = [...instances];
  for (const target of targets) {
    named = await nameNodesFromLog(connection, target, named, signal);
  }
  return named;
}
