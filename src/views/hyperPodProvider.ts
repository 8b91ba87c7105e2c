import type { AwsConnection } from '../aws/awsAccess';
import { describeContext } from '../aws/awsContext';
import type { CallerIdentity } from '../aws/callerIdentity';
import type { HyperPodCluster } from '../sagemaker/hyperPod';
import { hyperPodClusterContents, listHyperPodClusters } from '../sagemaker/hyperPod';
import type { UserFacingError } from '../util/errors';
import type { Logger } from '../util/logger';
import { ExplorerTreeProvider } from './explorerTreeProvider';
import type { ExplorerNode } from './nodes/explorerNode';
import { HyperPodClusterNode } from './nodes/hyperPodClusterNode';
import { HyperPodGroupNode } from './nodes/hyperPodGroupNode';
import { HyperPodNodeNode } from './nodes/hyperPodNodeNode';
import { MessageNode } from './nodes/messageNode';
import type { ConsoleContext } from './nodes/sshNodeNode';
import type { RefreshSchedulerOptions } from './refreshScheduler';
import {
  failedSelectionLabel,
  failedViewNodes,
  problemNode,
  setViewContext,
  viewProblemOf,
} from './viewProblem';

export const HYPERPOD_REFRESH_COMMAND = 'sagemakerSsh.refreshHyperPod';

export interface HyperPodProviderDeps {
  readonly connection: () => Promise<AwsConnection>;
  readonly logger: Logger;
  readonly describe?: (text: string) => void;
  readonly scheduler?: RefreshSchedulerOptions;
}

interface Loaded {
  readonly kind: 'loaded';
  readonly clusters: readonly HyperPodCluster[];
  readonly connection: AwsConnection;
  readonly identity: CallerIdentity;
}

type RootState = Loaded | { readonly kind: 'failed'; readonly error: UserFacingError };

const settledStatuses = new Set(['InService', 'Failed']);
const settledNodeStatuses = new Set(['Running', 'Failure', 'NotFound']);

/**
 * The HyperPod view: clusters (ListClusters) → instance groups (DescribeCluster) → nodes
 * (ListClusterNodes) with their status. A cluster's contents load when it is expanded.
 */
export class HyperPodProvider extends ExplorerTreeProvider {
  private state?: RootState;
  /** Expanded clusters whose nodes are changing (Pending, ShuttingDown…), for polling. */
  private readonly changingClusters = new Set<string>();

  constructor(private readonly deps: HyperPodProviderDeps) {
    super(deps.scheduler);
  }

  refresh(): Promise<void> {
    return this.reload({ manual: true });
  }

  protected rootNodes(): ExplorerNode[] {
    const state = this.state;
    if (!state) return [];
    if (state.kind === 'failed')
      return failedViewNodes('hyperpod/error', state.error, HYPERPOD_REFRESH_COMMAND);
    const console = { partition: state.identity.partition, region: state.connection.clients.region };
    return state.clusters.map(
      (cluster) => new HyperPodClusterNode(cluster, console, (c) => this.clusterChildren(state, c, console)),
    );
  }

  private async clusterChildren(
    state: Loaded,
    cluster: HyperPodCluster,
    console: ConsoleContext,
  ): Promise<ExplorerNode[]> {
    try {
      const sagemaker = await state.connection.clients.sagemaker();
      const contents = await hyperPodClusterContents(sagemaker, cluster);
      const checkedAt = Date.now();
      this.updateChanging(
        cluster.id,
        contents.nodes.some((node) => !settledNodeStatuses.has(node.status)),
      );
      if (contents.groups.length === 0 && contents.nodes.length === 0) {
        return [new MessageNode(`hyperpod/${cluster.id}/empty`, 'No instance groups', { icon: 'info' })];
      }
      const groupNames = [
        ...contents.groups.map((group) => group.name),
        ...contents.nodes.map((node) => node.group),
      ].filter((name, index, all) => all.indexOf(name) === index);
      return groupNames.map((name) => {
        const group = contents.groups.find((candidate) => candidate.name === name) ?? { name };
        const nodes = contents.nodes
          .filter((node) => node.group === name)
          .map((node) => new HyperPodNodeNode(node, checkedAt, console));
        return new HyperPodGroupNode(cluster, group, nodes);
      });
    } catch (error) {
      const translated = state.connection.translate(error);
      this.deps.logger.warn(`HyperPod cluster ${cluster.name}: ${translated.message}`);
      return [problemNode(`hyperpod/${cluster.id}/error`, translated, HYPERPOD_REFRESH_COMMAND)];
    }
  }

  private updateChanging(clusterId: string, changing: boolean): void {
    if (changing) this.changingClusters.add(clusterId);
    else this.changingClusters.delete(clusterId);
    this.schedulePending();
  }

  private schedulePending(): void {
    const busyCluster =
      this.state?.kind === 'loaded' &&
      this.state.clusters.some((cluster) => !settledStatuses.has(cluster.status));
    this.scheduler.setPending(busyCluster || this.changingClusters.size > 0);
  }

  protected async load(): Promise<void> {
    let connection: AwsConnection | undefined;
    try {
      connection = await this.deps.connection();
      const sagemaker = await connection.clients.sagemaker();
      const [clusters, identity] = await Promise.all([
        listHyperPodClusters(sagemaker),
        connection.identity(),
      ]);
      this.state = { kind: 'loaded', clusters, connection, identity };
      this.deps.describe?.(describeContext(connection.context));
    } catch (error) {
      const translated = this.translate(connection, error);
      this.deps.logger.warn(`HyperPod: ${translated.message}`);
      this.state = { kind: 'failed', error: translated };
      this.deps.describe?.(
        connection ? describeContext(connection.context) : failedSelectionLabel(translated),
      );
    }
    this.changingClusters.clear();
    const failed = this.state.kind === 'failed' ? this.state.error : undefined;
    setViewContext('problem', viewProblemOf(failed));
    setViewContext('hyperPod.empty', this.state.kind === 'loaded' && this.state.clusters.length === 0);
    this.schedulePending();
  }
}
