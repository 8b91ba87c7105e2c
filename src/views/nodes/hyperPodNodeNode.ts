import * as vscode from 'vscode';
import { hyperPodClusterConsoleUrl } from '../../aws/consoleUrls';
import type { HyperPodNode } from '../../sagemaker/hyperPod';
import { isReachableNode } from '../../sagemaker/hyperPod';
import type { HyperPodNodeTarget } from '../../targets/hyperPodNode';
import { hyperPodSsmTarget } from '../../targets/hyperPodNode';
import { contextValueOf } from '../contextValues';
import { codeSpan, escapeMarkdown, formatAge, formatTime, joinParts } from '../format';
import type { ResourceNode } from './explorerNode';
import type { ConsoleContext } from './sshNodeNode';

const statusIcons: Readonly<Record<string, string>> = {
  Running: 'vm-running',
  Pending: 'loading~spin',
  SystemUpdating: 'loading~spin',
  DeepHealthCheckInProgress: 'pulse',
  ShuttingDown: 'debug-stop',
  Failure: 'error',
  NotFound: 'question',
};

/** A node (EC2 instance) of a HyperPod cluster: Open Terminal and Connect when it is Running. */
export class HyperPodNodeNode implements ResourceNode {
  readonly id: string;

  constructor(
    readonly node: HyperPodNode,
    /** When the listing this node came from was read (ms since epoch). */
    readonly checkedAt: number,
    private readonly console: ConsoleContext,
  ) {
    this.id = `hyperpod/${node.clusterId}/${node.group}/${node.instanceId}`;
  }

  get target(): HyperPodNodeTarget & { readonly clusterId: string } {
    const { clusterName, clusterId, group, instanceId } = this.node;
    return { kind: 'hyperPodNode', clusterName, clusterId, group, instanceId };
  }

  get resourceName(): string {
    return this.node.instanceId;
  }

  get resourceArn(): undefined {
    return undefined;
  }

  consoleUrl(): string {
    return hyperPodClusterConsoleUrl(this.console.partition, this.console.region, this.node.clusterName);
  }

  toTreeItem(): vscode.TreeItem {
    const { node } = this;
    const running = isReachableNode(node);
    const item = new vscode.TreeItem(node.instanceId, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = joinParts([node.status, node.instanceType, formatAge(node.launchTime)]);
    item.iconPath = new vscode.ThemeIcon(
      statusIcons[node.status] ?? 'vm',
      running ? new vscode.ThemeColor('testing.iconPassed') : undefined,
    );
    item.contextValue = contextValueOf('hyperPodNode', { running });
    item.accessibilityInformation = {
      label: `HyperPod node ${node.instanceId}, ${node.group}, ${node.status}`,
    };
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escapeMarkdown(node.instanceId)}** — ${escapeMarkdown(node.status)}`);
    md.appendMarkdown(node.statusMessage ? `: ${escapeMarkdown(node.statusMessage)}\n\n` : '\n\n');
    md.appendMarkdown(`- Instance group: ${escapeMarkdown(node.group)}\n`);
    md.appendMarkdown(`- Launched: ${formatTime(node.launchTime)}\n`);
    md.appendMarkdown(`- SSM target: ${codeSpan(hyperPodSsmTarget(this.target))}\n`);
    item.tooltip = md;
    return item;
  }
}
