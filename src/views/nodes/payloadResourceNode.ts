import * as vscode from 'vscode';
import { consoleBase } from '../../aws/consoleUrls';
import type { PayloadResourceEntry } from '../../explorer/payloadResourceEntries';
import { isOnline } from '../../instances/sshInstance';
import { isRunningStatus } from '../../sagemaker/payloadResources';
import type { PayloadResourceTarget, PayloadResourceType } from '../../targets/payloadResource';
import { payloadResourceTarget } from '../../targets/payloadResource';
import { contextValueOf } from '../contextValues';
import { codeSpan, escapeMarkdown, formatAge, formatTime, joinParts, readinessBadge } from '../format';
import type { ExplorerNode, ResourceNode } from './explorerNode';
import type { ForwardLookup } from './portForwardNode';
import { idWithForwards } from './portForwardNode';
import type { ConsoleContext } from './sshNodeNode';
import { SshNodeNode } from './sshNodeNode';

/** The section of each type in the Other Resources view, and its console page. */
export const PAYLOAD_SECTIONS: Readonly<
  Record<PayloadResourceType, { readonly label: string; readonly consolePath: string; readonly icon: string }>
> = {
  processing: { label: 'Processing Jobs', consolePath: 'processing-jobs', icon: 'server-process' },
  transform: { label: 'Transform Jobs', consolePath: 'transform-jobs', icon: 'symbol-event' },
  inference: { label: 'Endpoints', consolePath: 'endpoints', icon: 'globe' },
  notebook: { label: 'Notebook Instances', consolePath: 'notebook-instances', icon: 'notebook' },
};

const RUNNING_ICON = new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'));
const READY_ICON = new vscode.ThemeIcon('vm-active', new vscode.ThemeColor('testing.iconPassed'));
const PARTLY_READY_ICON = new vscode.ThemeIcon('vm-active', new vscode.ThemeColor('charts.yellow'));
const FAILED_ICON = new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));

/**
 * A section (Processing Jobs, …): collapsed, and loaded only when expanded, so a refresh of a view
 * nobody opened costs no AWS call (most accounts use one or two of these types).
 */
export class PayloadSectionNode implements ExplorerNode {
  readonly id: string;

  constructor(
    readonly resourceType: PayloadResourceType,
    /** "3 · 1 with SSH" once loaded; undefined before the first expansion. */
    private readonly summary: string | undefined,
    private readonly loadChildren: (type: PayloadResourceType) => Promise<ExplorerNode[]>,
  ) {
    this.id = `resources/${resourceType}`;
  }

  getChildren(): Promise<ExplorerNode[]> {
    return this.loadChildren(this.resourceType);
  }

  toTreeItem(): vscode.TreeItem {
    const section = PAYLOAD_SECTIONS[this.resourceType];
    const item = new vscode.TreeItem(section.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = this.summary;
    item.iconPath = new vscode.ThemeIcon(section.icon);
    item.contextValue = contextValueOf('payloadSection');
    return item;
  }
}

/** A processing job, transform job, endpoint or notebook instance, with its containers as children. */
export class PayloadResourceNode implements ResourceNode {
  readonly id: string;

  constructor(
    readonly entry: PayloadResourceEntry,
    private readonly console: ConsoleContext,
    private readonly forwards?: ForwardLookup,
  ) {
    this.id = idWithForwards(
      `resources/${entry.resource.resourceType}/${entry.resource.name}`,
      this.getChildren().some((node) => node.hasForwards),
    );
  }

  get target(): PayloadResourceTarget {
    return payloadResourceTarget(this.entry.resource.resourceType, this.entry.resource.name);
  }

  get resourceName(): string {
    return this.entry.resource.name;
  }

  get resourceArn(): string {
    return this.entry.resource.arn;
  }

  get running(): boolean {
    return isRunningStatus(this.entry.resource.resourceType, this.entry.resource.status);
  }

  consoleUrl(): string {
    const { resourceType, name } = this.entry.resource;
    const { partition, region } = this.console;
    return `${consoleBase(partition, region)}/sagemaker/home?region=${region}#/${PAYLOAD_SECTIONS[resourceType].consolePath}/${encodeURIComponent(name)}`;
  }

  getChildren(): SshNodeNode[] {
    const { resource, readiness } = this.entry;
    return readiness.nodes.map(
      (node) =>
        new SshNodeNode(
          resource.name,
          node,
          this.console,
          this.running,
          readiness.checkedAt,
          this.forwards,
          this.target,
        ),
    );
  }

  toTreeItem(): vscode.TreeItem {
    const { resource, readiness } = this.entry;
    const hasNodes = readiness.nodes.length > 0;
    const hasForwards = this.getChildren().some((node) => node.hasForwards);
    const item = new vscode.TreeItem(
      resource.name,
      hasForwards
        ? vscode.TreeItemCollapsibleState.Expanded
        : hasNodes
          ? vscode.TreeItemCollapsibleState.Collapsed
          : vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.description = joinParts([
      readinessBadge(readiness),
      resource.status,
      formatAge(resource.creationTime),
    ]);
    item.iconPath =
      readiness.online > 0
        ? readiness.online === readiness.nodes.length
          ? READY_ICON
          : PARTLY_READY_ICON
        : resource.status === 'Failed'
          ? FAILED_ICON
          : this.running
            ? RUNNING_ICON
            : new vscode.ThemeIcon('circle-outline');
    item.contextValue = contextValueOf('payloadResource', {
      running: this.running,
      ssh: hasNodes,
      sshReady: readiness.online > 0,
    });
    item.tooltip = this.tooltip();
    item.accessibilityInformation = { label: `${resource.name}, ${resource.status}, ${readiness.label}` };
    return item;
  }

  private tooltip(): vscode.MarkdownString {
    const { resource, readiness } = this.entry;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escapeMarkdown(resource.name)}** — ${escapeMarkdown(resource.status)}\n\n`);
    md.appendMarkdown(`${codeSpan(resource.arn)}\n\n`);
    md.appendMarkdown(`- Created: ${formatTime(resource.creationTime)}\n`);
    if (resource.failureReason) {
      md.appendMarkdown(`\n**Failure:** ${escapeMarkdown(resource.failureReason)}\n`);
    }
    md.appendMarkdown(`\n**SSH:** ${escapeMarkdown(readiness.label)}\n`);
    if (resource.resourceType === 'inference' && readiness.nodes.length === 0) {
      md.appendMarkdown(
        '\nAn endpoint container cannot learn its endpoint name: its SSM registration is found through the ' +
          "agent's line in the endpoint's CloudWatch log.\n",
      );
    }
    for (const node of readiness.nodes) {
      const state = isOnline(node.instance) ? 'Online' : node.instance.pingStatus;
      md.appendMarkdown(
        `- ${escapeMarkdown(node.name)}: ${codeSpan(node.instance.instanceId)} ${escapeMarkdown(state)}\n`,
      );
    }
    return md;
  }
}
