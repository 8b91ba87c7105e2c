import * as vscode from 'vscode';
import { studioDomainConsoleUrl } from '../../aws/consoleUrls';
import type { StudioDomain } from '../../sagemaker/studio';
import { contextValueOf } from '../contextValues';
import { joinParts } from '../format';
import type { ExplorerNode, ResourceNode } from './explorerNode';
import type { ConsoleContext } from './sshNodeNode';

/** A SageMaker domain; its profiles, spaces and apps load when it is expanded. */
export class StudioDomainNode implements ResourceNode {
  readonly id: string;

  constructor(
    readonly domain: StudioDomain,
    private readonly console: ConsoleContext,
    private readonly loadChildren: (domain: StudioDomain) => Promise<ExplorerNode[]>,
  ) {
    this.id = `studio/${domain.id}`;
  }

  get resourceName(): string {
    return this.domain.id;
  }

  get resourceArn(): string | undefined {
    return this.domain.arn;
  }

  consoleUrl(): string {
    return studioDomainConsoleUrl(this.console.partition, this.console.region, this.domain.id);
  }

  getChildren(): Promise<ExplorerNode[]> {
    return this.loadChildren(this.domain);
  }

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.domain.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = joinParts([this.domain.id, this.domain.status]);
    item.iconPath = new vscode.ThemeIcon('organization');
    item.contextValue = contextValueOf('studioDomain', { arn: this.domain.arn !== undefined });
    return item;
  }
}
