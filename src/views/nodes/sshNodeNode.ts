import * as vscode from 'vscode';
import { managedNodeConsoleUrl } from '../../aws/consoleUrls';
import type { SshNode } from '../../instances/matchSshNodes';
import { isOnline } from '../../instances/sshInstance';
import { contextValueOf } from '../contextValues';
import { codeSpan, escapeMarkdown, formatTime, joinParts } from '../format';
import { forwardPlaceOf } from '../../forward/forwardPlace';
import type { ExplorerNode, ResourceNode } from './explorerNode';
import type { ForwardLookup } from './portForwardNode';
import { forwardNodesOf, idWithForwards } from './portForwardNode';
import { trainingNodeTarget } from '../../targets/sshTarget';

export interface ConsoleContext {
  readonly partition: string;
  readonly region: string;
}

/** `algo-N` of a training job: the SSM managed instance its container registered. */
export class SshNodeNode implements ResourceNode {
  readonly id: string;

  constructor(
    readonly jobName: string,
    readonly node: SshNode,
    private readonly console: ConsoleContext,
    private readonly jobInProgress: boolean,
    /** When the tree read this registration from SSM (epoch ms). */
    readonly checkedAt: number,
    private readonly forwards?: ForwardLookup,
  ) {
    this.id = idWithForwards(`trainingJob/${jobName}/node/${node.name}`, this.hasForwards);
  }

  /** Where this node's port forwards are kept (see forwardPlace.ts). */
  get forwardPlaceKey(): string {
    return forwardPlaceOf(trainingNodeTarget(this.jobName, this.node.name)).key;
  }

  get hasForwards(): boolean {
    return (this.forwards?.forPlace(this.forwardPlaceKey).length ?? 0) > 0;
  }

  getChildren(): ExplorerNode[] {
    return forwardNodesOf(this.id, this.forwardPlaceKey, this.forwards);
  }

  get resourceName(): string {
    return this.node.instance.instanceId;
  }

  get resourceArn(): undefined {
    return undefined;
  }

  consoleUrl(): string {
    return managedNodeConsoleUrl(this.console.partition, this.console.region, this.node.instance.instanceId);
  }

  toTreeItem(): vscode.TreeItem {
    const { instance } = this.node;
    const online = isOnline(instance);
    const item = new vscode.TreeItem(
      this.node.name,
      this.hasForwards ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.description = joinParts([
      instance.instanceId,
      instance.pingStatus,
      !this.node.ownedByCaller && `owner ${instance.tags.owner ?? 'unknown'}`,
    ]);
    item.iconPath = online
      ? new vscode.ThemeIcon('vm-active', new vscode.ThemeColor('testing.iconPassed'))
      : new vscode.ThemeIcon('vm-outline');
    item.contextValue = contextValueOf('trainingNode', { inProgress: this.jobInProgress, sshReady: online });
    item.tooltip = this.tooltip();
    return item;
  }

  private tooltip(): vscode.MarkdownString {
    const { instance, staleCount } = this.node;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escapeMarkdown(this.node.name)}** of ${escapeMarkdown(this.jobName)}\n\n`);
    md.appendMarkdown(`- Managed instance: ${codeSpan(instance.instanceId)}\n`);
    md.appendMarkdown(
      `- Ping: ${escapeMarkdown(instance.pingStatus)} (last ${formatTime(instance.lastPing)})\n`,
    );
    if (instance.agentVersion) {
      md.appendMarkdown(`- SSM agent: ${escapeMarkdown(instance.agentVersion)}\n`);
    }
    if (instance.tags.owner) {
      md.appendMarkdown(`- Owner: ${codeSpan(instance.tags.owner)}\n`);
    }
    if (staleCount > 0) {
      md.appendMarkdown(`- ${staleCount} older registration(s) of this node ignored\n`);
    }
    return md;
  }
}
