import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { isAwsError } from '../util/errors';
import { abortable } from '../util/sleep';
import type { CancellationSignal } from '../util/sleep';
import { nodeOfComputerName } from './matchSshNodes';
import type { SshInstance } from './sshInstance';

/*
 * Which node a registration is, when nothing in it says so. Upstream's sm-init-ssm writes no SSHHost
 * tag, and on SageMaker a training container's hostname is not algo-N (it is "aws" on every node:
 * AWS's own framework containers LD_PRELOAD a gethostname() that returns current_host so MPI can
 * tell nodes apart), so the agent's ComputerName names no node either. What does: upstream's
 * sm-setup-ssh logs "SSH Helper Log IP: $(hostname -I)" to the container's output, which SageMaker
 * writes to the node's own stream `<job>/algo-N-<epoch>`; DescribeInstanceInformation gives each
 * registration's IPAddress. One FilterLogEvents per job joins the two, and only for jobs that need it.
 */

const MARKER = 'SSH Helper Log IP:';
const STREAM_NODE = /\/(algo-[1-9][0-9]{0,3})-\d+$/;
const MAX_PAGES = 5;

/** The log group of a job type whose containers log per node. */
export type NodeLogGroup = '/aws/sagemaker/TrainingJobs' | '/aws/sagemaker/ProcessingJobs';

/** A registration that names no node: no SSHHost tag, and a computer name that is not algo-N. */
export function namesNoNode(instance: SshInstance): boolean {
  return !instance.tags.host && nodeOfComputerName(instance.computerName) === undefined;
}

/** IP address → algo-N, from the job's "SSH Helper Log IP" lines (a missing log: none). */
export async function nodesByLoggedIp(
  logs: CloudWatchLogsClient,
  logGroupName: NodeLogGroup,
  jobName: string,
  signal?: CancellationSignal,
): Promise<Map<string, string>> {
  const { FilterLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  const nodes = new Map<string, string>();
  let nextToken: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await logs.send(
        new FilterLogEventsCommand({
          logGroupName,
          logStreamNamePrefix: `${jobName}/`,
          filterPattern: `"${MARKER}"`,
          nextToken,
        }),
        abortable(signal),
      );
      for (const event of out.events ?? []) {
        const node = STREAM_NODE.exec(event.logStreamName ?? '')?.[1];
        const message = event.message ?? '';
        const at = message.indexOf(MARKER);
        if (!node || at < 0) continue;
        for (const ip of message
          .slice(at + MARKER.length)
          .trim()
          .split(/\s+/)) {
          if (/^[0-9a-f.:]+$/i.test(ip)) nodes.set(ip, node);
        }
      }
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return nodes;
    throw error;
  }
  return nodes;
}

/** The registrations with the node their IP address was logged from, as if they carried SSHHost. */
export function withLoggedNodes(
  instances: readonly SshInstance[],
  byIp: ReadonlyMap<string, string>,
): SshInstance[] {
  return instances.map((instance) => {
    const node = namesNoNode(instance) && instance.ipAddress ? byIp.get(instance.ipAddress) : undefined;
    return node ? { ...instance, tags: { ...instance.tags, host: node } } : instance;
  });
}
