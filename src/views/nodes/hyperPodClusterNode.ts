import * as vscode from 'vscode';
import { hyperPodClusterConsoleUrl } from '../../aws/consoleUrls';
import type { HyperPodCluster } from '../../sagemaker/hyperPod';
import { contextValueOf } from '../contextValues';
import { codeSpan, escapeMarkdown, formatAge, formatTime, joinParts } from '../format';
import type { ExplorerNode, ResourceNode } from './explorerNode';
import type { ConsoleContext } from './sshNodeNode';

const busyStatuses = new Set(['Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'Deleting']);

/** A HyperPod cluster; its instance groups and nodes load when it is expanded. */
export class HyperPodClusterNode implements ResourceNode {
  readonly id: string;

  constructor(
    readonly cluster: HyperPodCluster,
    private readonly console: ConsoleContext,
    private readonly loadChildren: (cluster: HyperPodCluster) => Promise<ExplorerNode[]>,
  ) {
    this.id = `hyperpod/${cluster.id}`;
  }

  get resourceName(): string {
    return this.cluster.name;
  }

  get resourceArn(): string {
    return this.cluster.arn;
  }

  consoleUrl(): string {
    return hyperPodClusterConsoleUrl(this.console.partition, this.console.region, this.cluster.name);
  }

  getChildren(): Promise<ExplorerNode[]> {
    return this.loadChildren(this.cluster);
  }

  toTreeItem(): vscode.TreeItem {
    const { cluster } = this;
    const item = new vscode.TreeItem(cluster.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = joinParts([cluster.status, formatAge(cluster.creationTime)]);
    item.iconPath = new vscode.ThemeIcon(
      busyStatuses.has(cluster.status)
        ? 'loading~spin'
        : cluster.status === 'Failed'
          ? 'error'
          : 'server-environment',
      cluster.status === 'InService' ? new vscode.ThemeColor('testing.iconPassed') : undefined,
    );
    item.contextValue = contextValueOf('hyperPodCluster', { inService: cluster.status === 'InService' });
    item.accessibilityInformation = { label: `HyperPod cluster ${cluster.name}, ${cluster.status}` };
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escapeMarkdown(cluster.name)}** — ${escapeMarkdown(cluster.status)}\n\n`);
    md.appendMarkdown(`- Cluster id: ${codeSpan(cluster.id)}\n`);
    md.appendMarkdown(`- Created: ${formatTime(cluster.creationTime)}\n`);
    item.tooltip = md;
    return item;
  }
}
