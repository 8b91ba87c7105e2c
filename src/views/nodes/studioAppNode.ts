import * as vscode from 'vscode';
import { studioDomainConsoleUrl } from '../../aws/consoleUrls';
import type { StudioAppEntry } from '../../explorer/studioEntries';
import { contextValueOf } from '../contextValues';
import { codeSpan, escapeMarkdown, formatAge, formatTime, joinParts, readinessBadge } from '../format';
import { forwardPlaceOf } from '../../forward/forwardPlace';
import type { ExplorerNode, ResourceNode } from './explorerNode';
import type { ForwardLookup } from './portForwardNode';
import { forwardNodesOf, idWithForwards } from './portForwardNode';
import type { ConsoleContext } from './sshNodeNode';
import { studioAppTarget } from '../../targets/sshTarget';

const appTypeIcons: Readonly<Record<string, string>> = {
  JupyterLab: 'notebook',
  CodeEditor: 'code',
  KernelGateway: 'server-process',
  JupyterServer: 'server',
};

export interface AppConsoleContext extends ConsoleContext {
  readonly appArn: string;
}

/** A Studio app (JupyterLab, Code Editor, KernelGateway…) with its SSH readiness. */
export class StudioAppNode implements ResourceNode {
  readonly id: string;

  constructor(
    readonly entry: StudioAppEntry,
    private readonly console: AppConsoleContext,
    private readonly forwards?: ForwardLookup,
  ) {
    const { app } = entry;
    this.id = idWithForwards(
      `studio/${app.domainId}/${app.ownerKind}/${app.ownerName}/${app.appType}/${app.appName}`,
      (forwards?.forPlace(this.forwardPlaceKey).length ?? 0) > 0,
    );
  }

  /** Where this app's port forwards are kept (see forwardPlace.ts). */
  get forwardPlaceKey(): string {
    return forwardPlaceOf(studioAppTarget(this.entry.app)).key;
  }

  getChildren(): ExplorerNode[] {
    return forwardNodesOf(this.id, this.forwardPlaceKey, this.forwards);
  }

  get resourceName(): string {
    return this.entry.app.appName;
  }

  get resourceArn(): string {
    return this.console.appArn;
  }

  consoleUrl(): string {
    return studioDomainConsoleUrl(this.console.partition, this.console.region, this.entry.app.domainId);
  }

  toTreeItem(): vscode.TreeItem {
    const { app, readiness } = this.entry;
    const hasForwards = (this.forwards?.forPlace(this.forwardPlaceKey).length ?? 0) > 0;
    const item = new vscode.TreeItem(
      app.appName,
      hasForwards ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.description = joinParts([
      readinessBadge(readiness),
      app.appType,
      app.status,
      formatAge(app.creationTime),
    ]);
    const pending = app.status === 'Pending' || app.status === 'Deleting';
    item.iconPath = new vscode.ThemeIcon(
      pending ? 'loading~spin' : (appTypeIcons[app.appType] ?? 'window'),
      readiness.online > 0 ? new vscode.ThemeColor('testing.iconPassed') : undefined,
    );
    item.accessibilityInformation = {
      label: `${app.appName}, ${app.appType}, ${app.status}, ${readiness.label}`,
    };
    item.contextValue = contextValueOf('studioApp', {
      inService: app.status === 'InService',
      ssh: readiness.nodes.length > 0,
      sshReady: readiness.online > 0,
    });
    const md = new vscode.MarkdownString();
    md.appendMarkdown(
      `**${escapeMarkdown(app.appName)}** — ${escapeMarkdown(app.appType)}, ${escapeMarkdown(app.status)}\n\n`,
    );
    md.appendMarkdown(`- Domain: ${codeSpan(app.domainId)}\n`);
    md.appendMarkdown(
      `- ${app.ownerKind === 'space' ? 'Space' : 'User profile'}: ${escapeMarkdown(app.ownerName)}\n`,
    );
    md.appendMarkdown(`- Created: ${formatTime(app.creationTime)}\n`);
    if (app.instanceType) {
      md.appendMarkdown(`- Instance: ${escapeMarkdown(app.instanceType)}\n`);
    }
    const node = readiness.nodes[0];
    md.appendMarkdown(
      `\n**SSH:** ${escapeMarkdown(readiness.label)}${node ? ` (${codeSpan(node.instance.instanceId)})` : ''}\n`,
    );
    item.tooltip = md;
    return item;
  }
}
