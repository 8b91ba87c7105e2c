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
import type { TrainingNodeTarget } from '../../targets/sshTarget';
import { trainingNodeTarget } from '../../targets/sshTarget';
import type { PayloadResourceTarget } from '../../targets/payloadResource';
import { payloadNodeTarget } from '../../targets/payloadResource';

export interface ConsoleContext {
  readonly partition: string;
  readonly region: string;
}

/**
 * `algo-N` of a training job, or of a processing job, transform job, endpoint or notebook instance
 * (`payload`): the SSM managed instance its container registered.
 */
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
    /** Set for a node of a payload resource; undefined for a training job's node. */
    readonly payload?: PayloadResourceTarget,
  ) {
    const parent = payload ? `${payload.resourceType}/${jobName}` : `trainingJob/${jobName}`;
    this.id = idWithForwards(`${parent}/node/${node.name}`, this.hasForwards);
  }

  /** The node as a target: what Connect, Open Terminal, Forward Port… act on. */
  get target(): TrainingNodeTarget | PayloadResourceTarget {
    return this.payload
      ? payloadNodeTarget(this.payload, this.node.name)
      : trainingNodeTarget(this.jobName, this.node.name);
  }

  /** Where this node's port forwards are kept (see forwardPlace.ts). */
  get forwardPlaceKey(): string {
    return forwardPlaceOf(this.target).key;
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
    item.contextValue = this.payload
      ? contextValueOf('payloadNode', { running: this.jobInProgress, sshReady: online })
      : contextValueOf('trainingNode', { inProgress: this.jobInProgress, sshReady: online });
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
