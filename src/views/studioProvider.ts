import type { AwsConnection } from '../aws/awsAccess';
import { describeContext } from '../aws/awsContext';
import type { CallerIdentity } from '../aws/callerIdentity';
import { listStudioOwnerEntries } from '../explorer/studioEntries';
import type { StudioDomain } from '../sagemaker/studio';
import { isPendingApp, listStudioDomains, studioAppArn } from '../sagemaker/studio';
import type { UserFacingError } from '../util/errors';
import type { Logger } from '../util/logger';
import { ExplorerTreeProvider } from './explorerTreeProvider';
import type { ExplorerNode } from './nodes/explorerNode';
import { MessageNode } from './nodes/messageNode';
import type { ConsoleContext } from './nodes/sshNodeNode';
import type { ForwardLookup } from './nodes/portForwardNode';
import { StudioAppNode } from './nodes/studioAppNode';
import { StudioDomainNode } from './nodes/studioDomainNode';
import { StudioOwnerNode } from './nodes/studioOwnerNode';
import type { RefreshSchedulerOptions } from './refreshScheduler';
import {
  failedSelectionLabel,
  failedViewNodes,
  problemNode,
  setViewContext,
  viewProblemOf,
} from './viewProblem';

export interface StudioProviderDeps {
  readonly connection: () => Promise<AwsConnection>;
  readonly showDeleted: () => boolean;
  readonly logger: Logger;
  readonly describe?: (text: string) => void;
  readonly scheduler?: RefreshSchedulerOptions;
  /** Active port forwards, shown under their apps. */
  readonly forwards?: ForwardLookup;
}

interface Loaded {
  readonly kind: 'loaded';
  readonly domains: readonly StudioDomain[];
  readonly connection: AwsConnection;
  readonly identity: CallerIdentity;
}

type RootState = Loaded | { readonly kind: 'failed'; readonly error: UserFacingError };

/** The Studio view: domains → user profiles and spaces → apps, with SSH readiness per app. */
export class StudioProvider extends ExplorerTreeProvider {
  private state?: RootState;
  /** Domains whose expanded contents show something pending, for polling. */
  private readonly pendingDomains = new Set<string>();

  constructor(private readonly deps: StudioProviderDeps) {
    super(deps.scheduler);
  }

  refresh(): Promise<void> {
    return this.reload({ manual: true });
  }

  protected rootNodes(): ExplorerNode[] {
    const state = this.state;
    if (!state) {
      return [];
    }
    if (state.kind === 'failed')
      return failedViewNodes('studio/error', state.error, 'sagemakerSsh.refreshStudio');
    const console = { partition: state.identity.partition, region: state.connection.clients.region };
    return state.domains.map(
      (d) => new StudioDomainNode(d, console, (domain) => this.domainChildren(state, domain, console)),
    );
  }

  private async domainChildren(
    state: Loaded,
    domain: StudioDomain,
    console: ConsoleContext,
  ): Promise<ExplorerNode[]> {
    try {
      const owners = await listStudioOwnerEntries(state.connection, domain.id, {
        showDeleted: this.deps.showDeleted(),
      });
      const pending = owners.some((o) => o.apps.some((a) => isPendingApp(a.app)));
      this.updatePending(domain.id, pending);
      if (owners.length === 0) {
        return [new MessageNode(`studio/${domain.id}/empty`, 'No user profiles or spaces', { icon: 'info' })];
      }
      const { account } = state.identity;
      return owners.map(
        (entry) =>
          new StudioOwnerNode(
            entry,
            entry.apps.map(
              (app) =>
                new StudioAppNode(
                  app,
                  {
                    ...console,
                    appArn: studioAppArn(app.app, console.partition, console.region, account),
                  },
                  this.deps.forwards,
                ),
            ),
          ),
      );
    } catch (error) {
      const translated = state.connection.translate(error);
      this.deps.logger.warn(`Studio domain ${domain.id}: ${translated.message}`);
      return [problemNode(`studio/${domain.id}/error`, translated, 'sagemakerSsh.refreshStudio')];
    }
  }

  private updatePending(domainId: string, pending: boolean): void {
    if (pending) {
      this.pendingDomains.add(domainId);
    } else {
      this.pendingDomains.delete(domainId);
    }
    this.scheduler.setPending(this.pendingDomains.size > 0);
  }

  protected async load(): Promise<void> {
    let connection: AwsConnection | undefined;
    try {
      connection = await this.deps.connection();
      const sagemaker = await connection.clients.sagemaker();
      const [domains, identity] = await Promise.all([listStudioDomains(sagemaker), connection.identity()]);
      this.state = { kind: 'loaded', domains, connection, identity };
      this.deps.describe?.(describeContext(connection.context));
    } catch (error) {
      const translated = this.translate(connection, error);
      this.deps.logger.warn(`Studio: ${translated.message}`);
      this.state = { kind: 'failed', error: translated };
      this.deps.describe?.(
        connection ? describeContext(connection.context) : failedSelectionLabel(translated),
      );
    }
    this.pendingDomains.clear();
    const failed = this.state.kind === 'failed' ? this.state.error : undefined;
    setViewContext('problem', viewProblemOf(failed));
    setViewContext('studio.empty', this.state.kind === 'loaded' && this.state.domains.length === 0);
    this.scheduler.setPending(false);
  }
}
