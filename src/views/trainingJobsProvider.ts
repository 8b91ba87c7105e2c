import type { AwsConnection } from '../aws/awsAccess';
import { describeContext } from '../aws/awsContext';
import type { TrainingJobListing } from '../explorer/trainingJobEntries';
import { listTrainingJobEntries } from '../explorer/trainingJobEntries';
import type { TrainingJobFilters } from '../explorer/trainingJobFilters';
import { describeFilters, hasFilters } from '../explorer/trainingJobFilters';
import { isPendingJob } from '../sagemaker/trainingJob';
import { RemoteDebugStates } from '../sagemaker/remoteDebugStates';
import type { UserFacingError } from '../util/errors';
import type { Logger } from '../util/logger';
import { contextValueOf } from './contextValues';
import { joinParts } from './format';
import { ExplorerTreeProvider } from './explorerTreeProvider';
import type { ExplorerNode } from './nodes/explorerNode';
import { MessageNode } from './nodes/messageNode';
import type { ForwardLookup } from './nodes/portForwardNode';
import type { ConsoleContext } from './nodes/sshNodeNode';
import { TrainingJobNode } from './nodes/trainingJobNode';
import type { RefreshSchedulerOptions } from './refreshScheduler';
import { renderSignature } from './renderSignature';
import { failedSelectionLabel, failedViewNodes, setViewContext, viewProblemOf } from './viewProblem';

export const trainingJobsPageSize = 50;

export interface TrainingJobsProviderDeps {
  readonly connection: () => Promise<AwsConnection>;
  readonly filters: () => TrainingJobFilters;
  readonly logger: Logger;
  readonly describe?: (text: string) => void;
  readonly scheduler?: RefreshSchedulerOptions;
  /** Active port forwards, shown under their nodes. */
  readonly forwards?: ForwardLookup;
}

type RootState =
  | {
      readonly kind: 'loaded';
      readonly listing: TrainingJobListing;
      readonly console: ConsoleContext;
      readonly label: string;
    }
  | { readonly kind: 'failed'; readonly error: UserFacingError; readonly label: string };

/** The Training Jobs view: newest first, pages of 50, SSH readiness per job and node. */
export class TrainingJobsProvider extends ExplorerTreeProvider {
  private state?: RootState;
  private pages = 1;
  /** Which running jobs have remote debug on (one DescribeTrainingJob per job, once). */
  readonly remoteDebug = new RemoteDebugStates();
  private loadingMore = false;

  constructor(private readonly deps: TrainingJobsProviderDeps) {
    super(deps.scheduler);
  }

  /** Manual refresh (or profile/region/filter change): reload and restart the polling backoff. */
  refresh(options: { readonly resetPages?: boolean } = {}): Promise<void> {
    if (options.resetPages) {
      this.pages = 1;
    }
    return this.reload({ manual: true });
  }

  async loadMore(): Promise<void> {
    if (this.state?.kind !== 'loaded' || !this.state.listing.nextToken || this.loadingMore) {
      return;
    }
    this.loadingMore = true;
    try {
      this.pages++;
      await this.reload({ manual: false });
    } finally {
      this.loadingMore = false;
    }
  }

  protected rootNodes(): ExplorerNode[] {
    const state = this.state;
    if (!state) {
      return [];
    }
    if (state.kind === 'failed')
      return failedViewNodes('trainingJobs/error', state.error, 'sagemakerSsh.refreshTrainingJobs');
    const nodes: ExplorerNode[] = state.listing.entries.map(
      (entry) => new TrainingJobNode(entry, state.console, this.deps.forwards),
    );
    if (nodes.length === 0 && hasFilters(this.deps.filters())) {
      nodes.push(
        new MessageNode('trainingJobs/noMatch', 'No training jobs match the filters', {
          icon: 'filter',
          command: { command: 'sagemakerSsh.clearTrainingJobFilters', title: 'Clear Filters' },
        }),
      );
    }
    if (state.listing.nextToken) {
      nodes.push(
        new MessageNode('trainingJobs/loadMore', 'Load more…', {
          icon: 'ellipsis',
          command: { command: 'sagemakerSsh.loadMoreTrainingJobs', title: 'Load More' },
          contextValue: contextValueOf('loadMore'),
        }),
      );
    }
    return nodes;
  }

  /** Jobs list their nodes synchronously, so the whole tree is known after a load. */
  protected override repaintKey(): string {
    return renderSignature(this.rootNodes());
  }

  protected async load(): Promise<void> {
    const filters = this.deps.filters();
    let connection: AwsConnection | undefined;
    try {
      connection = await this.deps.connection();
      const listing = await listTrainingJobEntries(connection, {
        filters,
        pageSize: trainingJobsPageSize,
        pages: this.pages,
        remoteDebug: this.remoteDebug,
      });
      const identity = await connection.identity();
      this.state = {
        kind: 'loaded',
        listing,
        console: { partition: identity.partition, region: connection.clients.region },
        label: describeContext(connection.context),
      };
    } catch (error) {
      const translated = this.translate(connection, error);
      this.deps.logger.warn(`Training jobs: ${translated.message}`);
      this.state = {
        kind: 'failed',
        error: translated,
        label: connection ? describeContext(connection.context) : failedSelectionLabel(translated),
      };
    }
    this.publish(filters);
  }

  private publish(filters: TrainingJobFilters): void {
    const state = this.state!;
    const entries = state.kind === 'loaded' ? state.listing.entries : [];
    setViewContext('problem', state.kind === 'failed' ? viewProblemOf(state.error) : '');
    setViewContext(
      'trainingJobs.empty',
      state.kind === 'loaded' && entries.length === 0 && !hasFilters(filters),
    );
    this.deps.describe?.(
      joinParts([state.label, describeFilters(filters) && `filtered: ${describeFilters(filters)}`]),
    );
    this.scheduler.setPending(entries.some((e) => isPendingJob(e.job)));
  }
}
