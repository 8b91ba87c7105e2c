import * as vscode from 'vscode';
import { trainingJobConsoleUrl } from '../../aws/consoleUrls';
import type { RemoteDebugNodeTarget } from '../../targets/remoteDebugNode';
import { remoteDebugNodeTarget, remoteDebugSsmTarget } from '../../targets/remoteDebugNode';
import { contextValueOf } from '../contextValues';
import { codeSpan, escapeMarkdown } from '../format';
import type { ExplorerNode, ResourceNode } from './explorerNode';
import type { ConsoleContext } from './sshNodeNode';

/** The readiness word a remote-debug node shows, beside the payload's `SSH n/m online`. */
export const REMOTE_DEBUG_BADGE = 'SSM debug';

/**
 * `algo-N` of a job with remote debug on: SageMaker's own agent, reached as the Session Manager
 * target `sagemaker-training-job:<job>_algo-<N>` (no registration of ours to show).
 */
export class RemoteDebugNodeNode implements ResourceNode {
  readonly id: string;
  readonly target: RemoteDebugNodeTarget;

  constructor(
    readonly jobName: string,
    readonly node: number,
    private readonly console: ConsoleContext,
    private readonly jobInProgress: boolean,
  ) {
    this.target = remoteDebugNodeTarget(jobName, node);
    this.id = `trainingJob/${jobName}/debug/algo-${node}`;
  }

  get resourceName(): string {
    return remoteDebugSsmTarget(this.target);
  }

  get resourceArn(): undefined {
    return undefined;
  }

  consoleUrl(): string {
    return trainingJobConsoleUrl(this.console.partition, this.console.region, this.jobName);
  }

  getChildren(): ExplorerNode[] {
    return [];
  }

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`algo-${this.node}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = REMOTE_DEBUG_BADGE;
    item.iconPath = new vscode.ThemeIcon('debug', new vscode.ThemeColor('charts.blue'));
    item.contextValue = contextValueOf('remoteDebugNode', { inProgress: this.jobInProgress });
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**algo-${this.node}** of ${escapeMarkdown(this.jobName)} (remote debug)\n\n`);
    md.appendMarkdown(`- Session Manager target: ${codeSpan(this.resourceName)}\n`);
    md.appendMarkdown('- Open Terminal needs nothing in the image; Connect needs an sshd binary in it\n');
    item.tooltip = md;
    return item;
  }
}
