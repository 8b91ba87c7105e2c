import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TestingApi } from '../../../src/extension';
import type { ExplorerNode } from '../../../src/views/nodes/explorerNode';

export const repoRoot = path.resolve(__dirname, '../../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  publisher: string;
  name: string;
  contributes: { commands: { command: string }[] };
};
export const extensionId = `${manifest.publisher}.${manifest.name}`;
export const contributedCommands = manifest.contributes.commands.map((c) => c.command);

/** The API activate() returns in extension tests (ExtensionMode.Test). */
export async function testingApi(): Promise<TestingApi> {
  const extension = vscode.extensions.getExtension<TestingApi | undefined>(extensionId)!;
  const api = await extension.activate();
  if (!api) {
    throw new Error('activate() returned no testing API: the host is not running in ExtensionMode.Test');
  }
  return api;
}

/** A tree level as VS Code renders it. */
export async function treeItems(
  provider: vscode.TreeDataProvider<ExplorerNode>,
  parent?: ExplorerNode,
): Promise<{ node: ExplorerNode; item: vscode.TreeItem }[]> {
  const nodes = (await provider.getChildren(parent)) ?? [];
  return Promise.all(nodes.map(async (node) => ({ node, item: await provider.getTreeItem(node) })));
}

export function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** The Training Jobs view's item for job `name`, after a refresh (fails naming the jobs shown). */
export async function jobNode(api: TestingApi, name: string): Promise<ExplorerNode> {
  await api.explorer.trainingJobs.refresh();
  const items = await treeItems(api.explorer.trainingJobs);
  const found = items.find((i) => labelOf(i.item) === name);
  assert.ok(found, `${name} not in the tree: ${items.map((i) => labelOf(i.item)).join(', ')}`);
  return found.node;
}
