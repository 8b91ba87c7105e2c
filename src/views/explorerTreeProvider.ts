import * as vscode from 'vscode';
import type { AwsConnection } from '../aws/awsAccess';
import type { UserFacingError } from '../util/errors';
import { asUserFacing } from '../util/errors';
import type { ExplorerNode } from './nodes/explorerNode';
import { RefreshScheduler } from './refreshScheduler';
import type { RefreshSchedulerOptions } from './refreshScheduler';
import { SingleFlight } from './singleFlight';

/**
 * What both trees share: nodes render themselves, the root loads at most once at a time (a
 * burst of refreshes folds into one follow-up), and polling runs through a RefreshScheduler.
 * Subclasses say how to load the root and what it shows.
 */
export abstract class ExplorerTreeProvider
  implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable
{
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly scheduler: RefreshScheduler;
  private readonly loader: SingleFlight;
  private loadedOnce = false;
  private shown?: string;

  constructor(scheduler: RefreshSchedulerOptions | undefined) {
    this.loader = new SingleFlight(async () => {
      await this.load();
      this.loadedOnce = true;
      const shown = this.repaintKey();
      if (shown !== undefined && shown === this.shown) {
        return;
      }
      this.shown = shown;
      this.changed.fire(undefined);
    });
    this.scheduler = new RefreshScheduler(() => void this.loader.run(), scheduler);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (node) {
      return (await node.getChildren?.()) ?? [];
    }
    if (!this.loadedOnce) {
      await this.loader.run();
    }
    return this.rootNodes();
  }

  /** Renders the tree again from what is loaded (e.g. port forwards changed); loads nothing itself. */
  repaint(): void {
    this.shown = this.repaintKey();
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.scheduler.dispose();
    this.changed.dispose();
  }

  /** Reloads the root; a manual refresh also restarts the polling backoff. */
  protected reload(options: { readonly manual: boolean }): Promise<void> {
    if (options.manual) {
      this.scheduler.resetBackoff();
    }
    return this.loader.run();
  }

  /** An error for an item or a welcome view, translated with the connection when there is one. */
  protected translate(connection: AwsConnection | undefined, error: unknown): UserFacingError {
    return connection ? connection.translate(error) : asUserFacing(error);
  }

  /** Loads the root's state; the tree is told to re-render afterwards. */
  protected abstract load(): Promise<void>;

  protected abstract rootNodes(): ExplorerNode[];

  /**
   * What the tree shows after a load, when a provider can tell without loading more: a load that
   * leaves it unchanged does not repaint. Undefined (the default) always repaints, which a tree
   * with lazily loaded children needs so that they are fetched again.
   */
  protected repaintKey(): string | undefined {
    return undefined;
  }
}
