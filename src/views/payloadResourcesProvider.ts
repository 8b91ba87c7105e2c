import type { AwsConnection } from '../aws/awsAccess';
import { describeContext } from '../aws/awsContext';
import type { PayloadResourceEntry } from '../explorer/payloadResourceEntries';
import { listPayloadResourceEntries } from '../explorer/payloadResourceEntries';
import { isRunningStatus } from '../sagemaker/payloadResources';
import { PAYLOAD_RESOURCE_TYPES } from '../targets/payloadResource';
import type { PayloadResourceType } from '../targets/payloadResource';
import type { UserFacingError } from '../util/errors';
import type { Logger } from '../util/logger';
import { ExplorerTreeProvider } from './explorerTreeProvider';
import type { ExplorerNode } from './nodes/explorerNode';
import { MessageNode } from './nodes/messageNode';
import { PayloadResourceNode, PayloadSectionNode } from './nodes/payloadResourceNode';
import type { ForwardLookup } from './nodes/portForwardNode';
import type { ConsoleContext } from './nodes/sshNodeNode';
import type { RefreshSchedulerOptions } from './refreshScheduler';
import { failedSelectionLabel, problemNode } from './viewProblem';

export const resourcesViewId = 'sagemakerSsh.resources';
const REFRESH_COMMAND = 'sagemakerSsh.refreshResources';
/** Processing and transform jobs of the last 30 days, as upstream's `sm-ssh list` shows them. */
const JOB_DAYS = 30;

export interface PayloadResourcesProviderDeps {
  readonly connection: () => Promise<AwsConnection>;
  readonly logger: Logger;
  readonly describe?: (text: string) => void;
  readonly scheduler?: RefreshSchedulerOptions;
  readonly forwards?: ForwardLookup;
}

type SectionState =
  | {
      readonly kind: 'loaded';
      readonly entries: readonly PayloadResourceEntry[];
      readonly console: ConsoleContext;
    }
  | { readonly kind: 'failed'; readonly error: UserFacingError };

/** Resources whose state will change soon (starting, stopping, running without SSH yet): worth polling. */
function isPending(entry: PayloadResourceEntry): boolean {
  const { resource, readiness } = entry;
  if (
    ['Pending', 'Creating', 'Updating', 'SystemUpdating', 'Stopping', 'Deleting'].includes(resource.status)
  ) {
    return true;
  }
  return (
    resource.resourceType !== 'inference' &&
    isRunningStatus(resource.resourceType, resource.status) &&
    readiness.online === 0
  );
}

/**
 * The Other Resources view: a section per type (Processing Jobs, Transform Jobs, Endpoints, Notebook
 * Instances), always shown and collapsed. A section lists its resources (with SSH readiness) when
 * first expanded; refreshes and polling reload only the sections that were expanded.
 */
export class PayloadResourcesProvider extends ExplorerTreeProvider {
  private readonly sections = new Map<PayloadResourceType, SectionState>();

  constructor(private readonly deps: PayloadResourcesProviderDeps) {
    super(deps.scheduler);
  }

  refresh(): Promise<void> {
    return this.reload({ manual: true });
  }

  /** A new profile or region: forget what the sections showed, so each lists again when expanded. */
  reset(): Promise<void> {
    this.sections.clear();
    return this.refresh();
  }

  protected rootNodes(): ExplorerNode[] {
    return PAYLOAD_RESOURCE_TYPES.map(
      (type) => new PayloadSectionNode(type, this.summaryOf(type), (t) => this.sectionChildren(t)),
    );
  }

  private summaryOf(type: PayloadResourceType): string | undefined {
    const state = this.sections.get(type);
    if (state?.kind !== 'loaded') return undefined;
    const ready = state.entries.filter((e) => e.readiness.online > 0).length;
    return ready > 0 ? `${state.entries.length} · ${ready} SSH-ready` : String(state.entries.length);
  }

  private async sectionChildren(type: PayloadResourceType): Promise<ExplorerNode[]> {
    if (!this.sections.has(type)) {
      await this.loadSection(type);
      // The section's description (its count) changes with its first load.
      this.repaint();
    }
    const state = this.sections.get(type)!;
    if (state.kind === 'failed')
      return [problemNode(`resources/${type}/error`, state.error, REFRESH_COMMAND)];
    if (state.entries.length === 0) {
      const what = type === 'processing' || type === 'transform' ? ` in the last ${JOB_DAYS} days` : '';
      return [new MessageNode(`resources/${type}/empty`, `None${what}`, { icon: 'info' })];
    }
    return state.entries.map((entry) => new PayloadResourceNode(entry, state.console, this.deps.forwards));
  }

  private async loadSection(type: PayloadResourceType): Promise<void> {
    let connection: AwsConnection | undefined;
    try {
      connection = await this.deps.connection();
      const isJob = type === 'processing' || type === 'transform';
      const [entries, identity] = await Promise.all([
        listPayloadResourceEntries(connection, type, {
          createdWithinDays: isJob ? JOB_DAYS : undefined,
          onSkipped: (message) => this.deps.logger.warn(message),
        }),
        connection.identity(),
      ]);
      const console = { partition: identity.partition, region: connection.clients.region };
      this.sections.set(type, { kind: 'loaded', entries, console });
      this.deps.describe?.(describeContext(connection.context));
    } catch (error) {
      const translated = this.translate(connection, error);
      this.deps.logger.warn(`Other resources (${type}): ${translated.message}`);
      this.sections.set(type, { kind: 'failed', error: translated });
      if (!connection) this.deps.describe?.(failedSelectionLabel(translated));
    }
  }

  /** Reloads the sections that were expanded; the others stay unloaded (no AWS calls). */
  protected async load(): Promise<void> {
    await Promise.all([...this.sections.keys()].map((type) => this.loadSection(type)));
    const pending = [...this.sections.values()].some(
      (state) => state.kind === 'loaded' && state.entries.some(isPending),
    );
    this.scheduler.setPending(pending);
  }
}
