import * as vscode from 'vscode';
import type { HyperPodCluster, HyperPodInstanceGroup } from '../../sagemaker/hyperPod';
import { contextValueOf } from '../contextValues';
import { joinParts } from '../format';
import type { ExplorerNode } from './explorerNode';

/** An instance group of a HyperPod cluster, with its nodes as children. */
export class HyperPodGroupNode implements ExplorerNode {
  readonly id: string;

  constructor(
    readonly cluster: HyperPodCluster,
    readonly group: HyperPodInstanceGroup,
    private readonly nodes: readonly ExplorerNode[],
  ) {
    this.id = `hyperpod/${cluster.id}/${group.name}`;
  }

  getChildren(): ExplorerNode[] {
    return [...this.nodes];
  }

  toTreeItem(): vscode.TreeItem {
    const { group } = this;
    const item = new vscode.TreeItem(
      group.name,
      this.nodes.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    const counts =
      group.targetCount === undefined ? undefined : `${group.currentCount ?? 0}/${group.targetCount} running`;
    item.description = joinParts([group.instanceType, counts, group.status]);
    item.iconPath = new vscode.ThemeIcon('layers');
    item.contextValue = contextValueOf('hyperPodGroup');
    item.tooltip = `Instance group ${group.name} of ${this.cluster.name}`;
    return item;
  }
}
