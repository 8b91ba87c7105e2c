import * as vscode from 'vscode';
import { UserFacingError, errorMessage } from '../util/errors';
import type { Logger } from '../util/logger';

function detailOf(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(current instanceof Error ? `${current.name}: ${current.message}` : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(' ← ');
}

type ErrorListener = (error: unknown) => void;
const listeners = new Set<ErrorListener>();

/** Observes every error shown to the user (extension tests assert on them). */
export function onErrorShown(listener: ErrorListener): { dispose(): void } {
  listeners.add(listener);
  return { dispose: () => listeners.delete(listener) };
}

/**
 * Shows an error with the follow-up actions it carries ("Select Profile", "Retry", …) and logs the
 * full cause chain. Non-user-facing errors are shown as they are, and logged with their stack.
 */
export async function showError(error: unknown, logger: Logger): Promise<void> {
  logger.error(detailOf(error));
  listeners.forEach((listener) => listener(error));
  if (!(error instanceof UserFacingError)) {
    if (error instanceof Error && error.stack) {
      logger.debug(error.stack);
    }
    await vscode.window.showErrorMessage(`SageMaker SSH: ${errorMessage(error)}`);
    return;
  }
  const actions = error.actions.filter((a) => a.command);
  const picked = await vscode.window.showErrorMessage(error.message, ...actions.map((a) => a.title));
  const action = actions.find((a) => a.title === picked);
  if (action?.command) {
    await vscode.commands.executeCommand(action.command, ...(action.args ?? []));
  }
}
