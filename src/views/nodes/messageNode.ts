import * as vscode from 'vscode';
import { contextValueOf } from '../contextValues';
import type { ExplorerNode } from './explorerNode';

/** A one-line item: "Load more…", "No jobs match the filters", or an error with a Retry action. */
export class MessageNode implements ExplorerNode {
  constructor(
    readonly id: string,
    private readonly label: string,
    private readonly options: {
      readonly icon?: string;
      readonly tooltip?: string;
      readonly command?: vscode.Command;
      readonly contextValue?: string;
      readonly error?: boolean;
    } = {},
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    if (this.options.icon) {
      item.iconPath = new vscode.ThemeIcon(
        this.options.icon,
        this.options.error ? new vscode.ThemeColor('errorForeground') : undefined,
      );
    }
    item.tooltip = this.options.tooltip;
    item.command = this.options.command;
    item.contextValue = this.options.contextValue;
    return item;
  }
}

/** An error item; clicking it runs `command` (a retry, or the fix such as Select AWS Profile). */
export function errorNode(
  id: string,
  message: string,
  command: vscode.Command,
  tooltip = message,
): MessageNode {
  return new MessageNode(id, message, {
    icon: 'error',
    error: true,
    tooltip,
    contextValue: contextValueOf('error'),
    command,
  });
}
