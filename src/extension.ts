import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Wiring lands with the AWS layer.
}

export function deactivate(): void {}
