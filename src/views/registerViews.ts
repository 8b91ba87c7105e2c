import * as vscode from 'vscode';

export const trainingJobsViewId = 'sagemakerSsh.trainingJobs';
export const studioViewId = 'sagemakerSsh.studio';

/** Until a view has items, VS Code shows its welcome content (package.json viewsWelcome). */
class NoItemsProvider implements vscode.TreeDataProvider<never> {
  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }
  getChildren(): never[] {
    return [];
  }
}

export function registerViews(): vscode.Disposable[] {
  return [trainingJobsViewId, studioViewId].map((id) =>
    vscode.window.createTreeView(id, { treeDataProvider: new NoItemsProvider(), showCollapseAll: true }),
  );
}
