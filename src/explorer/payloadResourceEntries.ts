import type { AwsConnection } from '../aws/awsAccess';
import { findSshInstances } from '../instances/findSshInstances';
import { readinessOf, sshNodesFor } from '../instances/matchSshNodes';
import type { SshReadiness } from '../instances/matchSshNodes';
import { isRunningStatus, listPayloadResources } from '../sagemaker/payloadResources';
import { findEndpointInstances, nameNodesOfJobs } from '../instances/targetInstances';
import type { SshInstance } from '../instances/sshInstance';
import type { PayloadResource } from '../sagemaker/payloadResources';
import type { PayloadResourceType } from '../targets/payloadResource';
import { payloadResourceTarget } from '../targets/payloadResource';
import type { CancellationSignal } from '../util/sleep';

export interface PayloadResourceEntry {
  readonly resource: PayloadResource;
  readonly readiness: SshReadiness;
}

export interface PayloadListingRequest {
  /** Only resources created in the last N days (upstream lists jobs of the last 30 days). */
  readonly createdWithinDays?: number;
  readonly now?: Date;
  readonly signal?: CancellationSignal;
  /** Told about registrations that cannot be used (a bad SSHHost tag), which are left out. */
  readonly onSkipped?: (message: string) => void;
}

/**
 * The resources of one type, newest first, with their SSH readiness: the List calls plus two SSM
 * calls (DescribeInstanceInformation filtered on the names, DescribeActivations), whatever the count.
 * Endpoint containers cannot learn their endpoint's name, so their registrations carry no name and
 * endpoints show no SSH here (upstream finds them through CloudWatch Logs instead).
 */
export async function listPayloadResourceEntries(
  connection: AwsConnection,
  resourceType: PayloadResourceType,
  request: PayloadListingRequest = {},
): Promise<PayloadResourceEntry[]> {
  const identity = connection.identity();
  const now = request.now ?? new Date();
  const createdAfter = request.createdWithinDays
    ? new Date(now.getTime() - request.createdWithinDays * 86_400_000)
    : undefined;
  const resources = await listPayloadResources(await connection.clients.sagemaker(), resourceType, {
    createdAfter,
    signal: request.signal,
  });
  if (resources.length === 0) return [];
  const instancesOf = await registrationsOf(connection, resourceType, resources, request.signal);
  const checkedAt = Date.now();
  const callerUserId = (await identity).userId;
  return resources.map((resource) => ({
    resource,
    readiness: readinessOf(
      sshNodesFor(
        payloadResourceTarget(resourceType, resource.name),
        instancesOf(resource),
        callerUserId,
        request.onSkipped,
      ),
      checkedAt,
    ),
  }));
}

/** Each resource's candidate registrations: by name, or for endpoints through their logs (running ones only). */
async function registrationsOf(
  connection: AwsConnection,
  resourceType: PayloadResourceType,
  resources: readonly PayloadResource[],
  signal: CancellationSignal | undefined,
): Promise<(resource: PayloadResource) => SshInstance[]> {
  if (resourceType === 'inference') {
    const running = resources.filter((r) => isRunningStatus(resourceType, r.status)).map((r) => r.name);
    const byEndpoint = await findEndpointInstances(connection, running, signal);
    return (resource) => byEndpoint.get(resource.name) ?? [];
  }
  const found = await findSshInstances(await connection.clients.ssm(), {
    resourceNames: [...new Set(resources.map((r) => r.name))],
    signal,
  });
  const targets = resources.map((r) => payloadResourceTarget(resourceType, r.name));
  const instances = await nameNodesOfJobs(connection, targets, found, signal);
  return () => instances;
}
