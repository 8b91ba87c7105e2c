import * as vscode from 'vscode';
import type { ForwardInfo } from '../../forward/forwardManager';
import type { ForwardState } from '../../forward/startForward';
import { contextValueOf } from '../contextValues';
import { codeSpan, escapeMarkdown, joinParts } from '../format';
import type { ExplorerNode } from './explorerNode';

/** What the nodes that can carry forwards read: the forwards shown under a place (see forwardPlace.ts). */
export interface ForwardLookup {
  forPlace(placeKey: string): readonly ForwardInfo[];
}

const stateText: Readonly<Record<ForwardState, string>> = {
  active: 'forwarding',
  reconnecting: 'reconnecting…',
  nothingListens: 'nothing listens there',
};

const stateIcons: Readonly<Record<ForwardState, vscode.ThemeIcon>> = {
  active: new vscode.ThemeIcon('plug', new vscode.ThemeColor('testing.iconPassed')),
  reconnecting: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.yellow')),
  nothingListens: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
};

/** `8888 → localhost:8888`: an active forward from the container's port to a local one. */
export class PortForwardNode implements ExplorerNode {
  readonly id: string;

  constructor(
    parentId: string,
    readonly forward: ForwardInfo,
  ) {
    this.id = `${parentId}/forward/${forward.id}`;
  }

  toTreeItem(): vscode.TreeItem {
    const { forward } = this;
    const item = new vscode.TreeItem(
      `${forward.remotePort} → localhost:${forward.localPort}`,
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.description = joinParts([forward.name, stateText[forward.state]]);
    item.iconPath = stateIcons[forward.state];
    item.contextValue = contextValueOf('portForward');
    const md = new vscode.MarkdownString();
    md.appendMarkdown(
      `**Port ${forward.remotePort}** of ${escapeMarkdown(forward.placeLabel)} on ` +
        `${codeSpan(`http://127.0.0.1:${forward.localPort}`)}\n\n`,
    );
    md.appendMarkdown(`- State: ${escapeMarkdown(stateText[forward.state])}\n`);
    md.appendMarkdown(`- Managed instance: ${codeSpan(forward.instanceId)}\n`);
    md.appendMarkdown(`- Session: ${codeSpan(forward.sessionId)}\n`);
    item.tooltip = md;
    item.accessibilityInformation = {
      label: `Port ${forward.remotePort} forwarded to localhost ${forward.localPort}, ${stateText[forward.state]}`,
    };
    return item;
  }
}

/** The forward items under a node, or none. */
export function forwardNodesOf(
  parentId: string,
  placeKey: string,
  forwards: ForwardLookup | undefined,
): PortForwardNode[] {
  return (forwards?.forPlace(placeKey) ?? []).map((forward) => new PortForwardNode(parentId, forward));
}

/**
 * The id of a node while it shows forwards. VS Code applies a TreeItem's collapsibleState only to an
 * id it has not seen, so a row that had no children would stay folded over its new forwards: while
 * it has forwards, the row is a new one that opens.
 */
export function idWithForwards(id: string, hasForwards: boolean): string {
  return hasForwards ? `${id}/forwarding` : id;
}
