import * as vscode from 'vscode';
import type { ExplorerNode } from './nodes/explorerNode';

function labelText(label: vscode.TreeItem['label']): string | undefined {
  return typeof label === 'object' ? label.label : label;
}

function tooltipText(tooltip: vscode.TreeItem['tooltip']): string | undefined {
  return tooltip instanceof vscode.MarkdownString ? tooltip.value : tooltip;
}

function iconText(icon: vscode.TreeItem['iconPath']): string | undefined {
  if (icon instanceof vscode.ThemeIcon) {
    return `${icon.id}:${icon.color?.id ?? ''}`;
  }
  return icon === undefined ? undefined : String(icon);
}

function renderOf(node: ExplorerNode): unknown {
  const item = node.toTreeItem();
  const children = node.getChildren?.();
  return [
    item.id,
    labelText(item.label),
    item.description,
    item.contextValue,
    tooltipText(item.tooltip),
    iconText(item.iconPath),
    item.collapsibleState,
    item.command?.command,
    item.accessibilityInformation?.label,
    Array.isArray(children) ? children.map(renderOf) : undefined,
  ];
}

/**
 * What a list of nodes shows, as one string: the tree needs no refresh while it stays the same. A
 * refresh replaces every row, and a menu command run on a replaced row gets no item (see
 * TreeItemGoneError), so polling should only repaint when something changed. Children are included
 * when a node lists them synchronously; lazily loaded children (a promise) are not read here.
 */
export function renderSignature(nodes: readonly ExplorerNode[]): string {
  return JSON.stringify(nodes.map(renderOf));
}
