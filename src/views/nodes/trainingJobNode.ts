import * as vscode from 'vscode';
import { trainingJobConsoleUrl } from '../../aws/consoleUrls';
import type { TrainingJobEntry } from '../../explorer/trainingJobEntries';
import { isOnline } from '../../instances/sshInstance';
import { contextValueOf } from '../contextValues';
import { codeSpan, escapeMarkdown, formatAge, formatTime, joinParts, readinessBadge } from '../format';
import type { ResourceNode } from './explorerNode';
import type { ForwardLookup } from './portForwardNode';
import { idWithForwards } from './portForwardNode';
import type { ConsoleContext } from './sshNodeNode';
import { SshNodeNode } from './sshNodeNode';
import { REMOTE_DEBUG_BADGE, RemoteDebugNodeNode } from './remoteDebugNodeNode';

const statusIcons: Readonly<Record<string, vscode.ThemeIcon>> = {
  InProgress: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue')),
  Completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  Failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  Stopping: new vscode.ThemeIcon('loading~spin', new vscode.ThemeColor('charts.orange')),
  Stopped: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
};
/** A job you can connect to shows it in its icon, which stays visible however long the name is. */
const sshReadyIcon = new vscode.ThemeIcon('vm-active', new vscode.ThemeColor('testing.iconPassed'));
const sshPartlyReadyIcon = new vscode.ThemeIcon('vm-active', new vscode.ThemeColor('charts.yellow'));

function jobIcon(status: string, readiness: TrainingJobEntry['readiness']): vscode.ThemeIcon {
  if (readiness.online > 0) {
    return readiness.online === readiness.nodes.length ? sshReadyIcon : sshPartlyReadyIcon;
  }
  return statusIcons[status] ?? new vscode.ThemeIcon('circle-outline');
}

function instanceShape(type: string | undefined, count: number | undefined): string | undefined {
  return type ? `${type} × ${count ?? 1}` : undefined;
}

export class TrainingJobNode implements ResourceNode {
  readonly id: string;

  constructor(
    readonly entry: TrainingJobEntry,
    private readonly console: ConsoleContext,
    private readonly forwards?: ForwardLookup,
  ) {
    this.id = idWithForwards(
      `trainingJob/${entry.job.name}`,
      this.payloadNodes().some((node) => node.hasForwards),
    );
  }

  get resourceName(): string {
    return this.entry.job.name;
  }

  get resourceArn(): string {
    return this.entry.job.arn;
  }

  get inProgress(): boolean {
    return this.entry.job.status === 'InProgress';
  }

  consoleUrl(): string {
    return trainingJobConsoleUrl(this.console.partition, this.console.region, this.entry.job.name);
  }

  getChildren(): (SshNodeNode | RemoteDebugNodeNode)[] {
    return [...this.payloadNodes(), ...this.remoteDebugNodes()];
  }

  /** algo-1 … algo-N (ResourceConfig.InstanceCount) when remote debug is on. */
  remoteDebugNodes(): RemoteDebugNodeNode[] {
    const { job } = this.entry;
    if (job.remoteDebug !== true) return [];
    return Array.from(
      { length: job.instanceCount ?? 1 },
      (_, i) => new RemoteDebugNodeNode(job.name, i + 1, this.console, this.inProgress),
    );
  }

  private payloadNodes(): SshNodeNode[] {
    return this.entry.readiness.nodes.map(
      (n) =>
        new SshNodeNode(
          this.entry.job.name,
          n,
          this.console,
          this.inProgress,
          this.entry.readiness.checkedAt,
          this.forwards,
        ),
    );
  }

  toTreeItem(): vscode.TreeItem {
    const { job, readiness } = this.entry;
    const hasNodes = readiness.nodes.length > 0;
    const debug = job.remoteDebug === true;
    // Open while a node has port forwards, so they show.
    const hasForwards = this.payloadNodes().some((node) => node.hasForwards);
    const item = new vscode.TreeItem(
      job.name,
      hasForwards
        ? vscode.TreeItemCollapsibleState.Expanded
        : hasNodes || debug
          ? vscode.TreeItemCollapsibleState.Collapsed
          : vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.description = joinParts([
      (hasNodes || !debug) && readinessBadge(readiness),
      debug && REMOTE_DEBUG_BADGE,
      job.secondaryStatus ?? job.status,
      formatAge(job.creationTime),
      instanceShape(job.instanceType, job.instanceCount),
    ]);
    item.iconPath = jobIcon(job.status, readiness);
    item.contextValue = contextValueOf('trainingJob', {
      inProgress: this.inProgress,
      ssh: hasNodes,
      sshReady: readiness.online > 0,
      remoteDebug: debug,
      canEnableDebug: this.inProgress && !debug && job.algorithmName === undefined,
    });
    item.tooltip = this.tooltip();
    item.accessibilityInformation = { label: `${job.name}, ${job.status}, ${readiness.label}` };
    return item;
  }

  private tooltip(): vscode.MarkdownString {
    const { job, readiness } = this.entry;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escapeMarkdown(job.name)}** — ${escapeMarkdown(job.status)}`);
    md.appendMarkdown(job.secondaryStatus ? ` (${escapeMarkdown(job.secondaryStatus)})\n\n` : '\n\n');
    md.appendMarkdown(`${codeSpan(job.arn)}\n\n`);
    md.appendMarkdown(`- Created: ${formatTime(job.creationTime)}\n`);
    md.appendMarkdown(`- Started: ${formatTime(job.trainingStartTime)}\n`);
    md.appendMarkdown(`- Ended: ${formatTime(job.trainingEndTime)}\n`);
    const shape = instanceShape(job.instanceType, job.instanceCount);
    if (shape) {
      md.appendMarkdown(`- Instances: ${escapeMarkdown(shape)}\n`);
    }
    if (job.failureReason) {
      md.appendMarkdown(`\n**Failure:** ${escapeMarkdown(job.failureReason)}\n`);
    }
    if (job.remoteDebug) {
      md.appendMarkdown(
        `\n**Remote debug:** on (${REMOTE_DEBUG_BADGE}: Open Terminal or Connect on a node)\n`,
      );
    }
    md.appendMarkdown(`\n**SSH:** ${escapeMarkdown(readiness.label)}\n`);
    for (const node of readiness.nodes) {
      const state = isOnline(node.instance) ? 'Online' : node.instance.pingStatus;
      md.appendMarkdown(
        `- ${escapeMarkdown(node.name)}: ${codeSpan(node.instance.instanceId)} ${escapeMarkdown(state)}\n`,
      );
    }
    return md;
  }
}
