import * as vscode from 'vscode';
import { AwsAccess } from './aws/awsAccess';
import { registerCommands } from './commands/registerCommands';
import { registerViews } from './views/registerViews';
import { AwsState } from './vscode/awsState';

/**
 * Wiring only. Nothing here calls AWS or loads an SDK package: clients are created on first use
 * by a view or command.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('SageMaker SSH', { log: true });
  const aws = new AwsState(new AwsAccess({ logger: log }));
  const { explorer, disposables } = registerViews(context, aws, log);
  context.subscriptions.push(
    log,
    aws,
    ...disposables,
    ...registerCommands({ aws, explorer, logger: log, log }),
  );
}

export function deactivate(): void {}
