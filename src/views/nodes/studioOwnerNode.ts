import * as vscode from 'vscode';
import type { StudioOwnerEntry } from '../../explorer/studioEntries';
import { contextValueOf } from '../contextValues';
import { joinParts } from '../format';
import type { ExplorerNode } from './explorerNode';
import { MessageNode } from './messageNode';
import type { StudioAppNode } from './studioAppNode';

/** A user profile (Studio Classic apps) or a space (JupyterLab / Code Editor apps). */
export class StudioOwnerNode implements ExplorerNode {
  readonly id: string;

  constructor(
    readonly entry: StudioOwnerEntry,
    private readonly apps: readonly StudioAppNode[],
  ) {
    this.id = `studio/${entry.owner.domainId}/${entry.owner.kind}/${entry.owner.name}`;
  }

  getChildren(): ExplorerNode[] {
    if (this.apps.length === 0) {
      return [new MessageNode(`${this.id}/empty`, 'No apps', { icon: 'info' })];
    }
    return [...this.apps];
  }

  toTreeItem(): vscode.TreeItem {
    const { owner } = this.entry;
    const running = this.entry.apps.filter((a) => a.app.status === 'InService').length;
    const item = new vscode.TreeItem(
      owner.name,
      running > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.id;
    const live = this.entry.apps.find((a) => a.app.status !== 'Deleted')?.app;
    item.description = joinParts([
      owner.kind === 'space' ? 'space' : 'user profile',
      `${this.entry.apps.length} app${this.entry.apps.length === 1 ? '' : 's'}`,
      owner.kind === 'space' ? (live ? `${live.appType} ${live.status}` : 'stopped') : undefined,
      owner.kind === 'space' && owner.remoteAccess ? 'remote access' : undefined,
    ]);
    item.iconPath = new vscode.ThemeIcon(owner.kind === 'space' ? 'folder-library' : 'account');
    item.contextValue =
      owner.kind === 'space'
        ? contextValueOf('studioSpace', { remoteAccess: owner.remoteAccess === true, running: running > 0 })
        : contextValueOf('studioUserProfile');
    if (owner.kind === 'space') {
      item.tooltip = `Space ${owner.name}: remote access ${owner.remoteAccess ? 'enabled' : 'disabled'}, ${
        running > 0 ? 'running' : 'stopped'
      }. Connect and Open Terminal need both (Start Space does it).`;
    }
    return item;
  }
}
