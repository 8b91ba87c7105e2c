import * as vscode from 'vscode';
import type { AwsAccess, AwsConnection } from '../aws/awsAccess';
import { affectsAwsSelection, awsSelectionFromSettings } from './settings';

/**
 * The extension's view of "which AWS are we talking to": resolves our settings through AwsAccess
 * on demand and tells views when the profile or region changes.
 */
export class AwsState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly access: AwsAccess) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsAwsSelection(event)) {
        this.changed.fire();
      }
    });
  }

  /** Resolves the current selection; throws a UserFacingError when it cannot be used. */
  connection(): Promise<AwsConnection> {
    return this.access.connect(awsSelectionFromSettings());
  }

  /** Drops cached clients and identities (after `aws sso login`, for instance) and notifies views. */
  reset(): void {
    this.access.reset();
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.access.dispose();
  }
}
