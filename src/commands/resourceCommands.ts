import * as vscode from 'vscode';
import { isResourceNode } from '../views/nodes/explorerNode';
import type { ResourceNode } from '../views/nodes/explorerNode';
import { TreeItemGoneError } from './commandErrors';
import { NotAResourceItemError } from './commandErrors';

function requireNode(node: unknown, command: string): ResourceNode {
  if (node === undefined) {
    throw new TreeItemGoneError(command);
  }
  if (!isResourceNode(node)) {
    throw new NotAResourceItemError();
  }
  return node;
}

export async function copyName(node: unknown): Promise<string> {
  const { resourceName } = requireNode(node, 'Copy Name');
  await vscode.env.clipboard.writeText(resourceName);
  return resourceName;
}

export async function copyArn(node: unknown): Promise<string | undefined> {
  const { resourceArn } = requireNode(node, 'Copy ARN');
  if (!resourceArn) {
    void vscode.window.showWarningMessage('This item has no ARN; use Copy Name instead.');
    return undefined;
  }
  await vscode.env.clipboard.writeText(resourceArn);
  return resourceArn;
}

export async function openInConsole(node: unknown): Promise<string | undefined> {
  const url = requireNode(node, 'Open in Console').consoleUrl();
  if (url) {
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
  }
  return url;
}
