import * as vscode from 'vscode';
import type { Logger } from '../util/logger';
import type { AwsState } from '../vscode/awsState';
import { showError } from '../vscode/showError';
import { selectProfile } from './selectProfile';
import { selectRegion } from './selectRegion';
import { showIdentity } from './showIdentity';

export interface CommandDependencies {
  readonly aws: AwsState;
  readonly logger: Logger;
  readonly log: vscode.LogOutputChannel;
}

type Handler = (...args: unknown[]) => unknown;

/** Wraps a handler so that every failure reaches the user as an actionable notification. */
function guarded(logger: Logger, handler: Handler): Handler {
  return async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      void showError(error, logger);
      return undefined;
    }
  };
}

export function registerCommands(deps: CommandDependencies): vscode.Disposable[] {
  const commands: Record<string, Handler> = {
    'sagemakerSsh.selectProfile': () => selectProfile(),
    'sagemakerSsh.selectRegion': () => selectRegion(),
    'sagemakerSsh.showIdentity': () => showIdentity(deps.aws),
    'sagemakerSsh.showLog': () => deps.log.show(),
    'sagemakerSsh.refresh': () => deps.aws.reset(),
  };
  return Object.entries(commands).map(([id, handler]) =>
    vscode.commands.registerCommand(id, guarded(deps.logger, handler)),
  );
}
