import type { AwsConnection } from '../aws/awsAccess';
import { listHyperPodClusters, listHyperPodNodes } from '../sagemaker/hyperPod';
import type { HyperPodNodeTarget } from '../targets/hyperPodNode';
import { errorMessage, errorName } from '../util/errors';
import type { Logger } from '../util/logger';
import { describeTarget } from '../targets/sshTarget';
import { targetAlias } from '../targets/targetAlias';

/** One host `sm-ssh list` shows (the same shape as listHosts.ts's rows). */
export interface HyperPodHostRow {
  readonly target: HyperPodNodeTarget;
  readonly alias: string;
  readonly ping: string;
  readonly status: string;
}

function rowOrSkip(
  target: HyperPodNodeTarget,
  ping: string,
  status: string,
  logger: Logger,
): HyperPodHostRow[] {
  try {
    return [{ target, alias: targetAlias(target), ping, status }];
  } catch (error) {
    logger.warn(`Skipping ${describeTarget(target)}: ${errorMessage(error)}`);
    return [];
  }
}

const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied']);

/**
 * A row per HyperPod node: its instance status in the ping column (Session Manager reaches
 * Running nodes), the cluster's status. One ListClusters, then ListClusterNodes per cluster (the
 * cluster id comes from its ARN). An identity without HyperPod permissions lists the other hosts.
 */
export async function hyperPodRows(connection: AwsConnection, logger: Logger): Promise<HyperPodHostRow[]> {
  const sagemaker = await connection.clients.sagemaker();
  let clusters;
  try {
    clusters = await listHyperPodClusters(sagemaker);
  } catch (error) {
    if (!ACCESS_DENIED.has(errorName(error))) throw error;
    logger.debug(`Skipping HyperPod clusters: ${errorMessage(error)}`);
    return [];
  }
  const perCluster = await Promise.all(
    clusters.map(async (cluster) => {
      const nodes = await listHyperPodNodes(sagemaker, cluster);
      return nodes.flatMap((node) => {
        const target: HyperPodNodeTarget = {
          kind: 'hyperPodNode',
          clusterName: node.clusterName,
          clusterId: node.clusterId,
          group: node.group,
          instanceId: node.instanceId,
        };
        return rowOrSkip(target, node.status, cluster.status, logger);
      });
    }),
  );
  return perCluster.flat();
}
