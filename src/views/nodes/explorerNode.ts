import type * as vscode from 'vscode';

/** Every item in our trees: it renders itself and, when expandable, lists its children. */
export interface ExplorerNode {
  readonly id: string;
  toTreeItem(): vscode.TreeItem;
  getChildren?(): Promise<ExplorerNode[]> | ExplorerNode[];
}

/** What the tree's commands (Copy Name, Copy ARN, Open in Console, Connect, Stop Waiting) read. */
export interface ResourceNode extends ExplorerNode {
  readonly resourceName: string;
  readonly resourceArn?: string;
  consoleUrl(): string | undefined;
}

export function isResourceNode(node: unknown): node is ResourceNode {
  return typeof node === 'object' && node !== null && 'resourceName' in node && 'consoleUrl' in node;
}
