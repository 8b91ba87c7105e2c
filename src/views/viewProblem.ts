import * as vscode from 'vscode';
import { ProfileNotFoundError } from '../aws/awsErrors';
import type { UserFacingError } from '../util/errors';
import type { MessageNode } from './nodes/messageNode';
import { errorNode } from './nodes/messageNode';

/**
 * Problems a view explains with its welcome content (package.json viewsWelcome) instead of an
 * error item, because the fix is a button: pick a profile, pick a region.
 */
export type ViewProblem = 'noCredentials' | 'noRegion' | '';

const problemsByCode: Readonly<Record<string, ViewProblem>> = {
  NoCredentials: 'noCredentials',
  NoRegion: 'noRegion',
};

export function viewProblemOf(error: UserFacingError | undefined): ViewProblem {
  return error ? (problemsByCode[error.code] ?? '') : '';
}

/**
 * The item a view shows for an error its welcome content does not cover. A profile that does not
 * exist is named (welcome content cannot show it), and the item opens the profile picker.
 */
export function problemNode(id: string, error: UserFacingError, retryCommand: string): MessageNode {
  if (error instanceof ProfileNotFoundError) {
    return errorNode(
      id,
      `profile '${error.profile}' not found in ~/.aws/config or ~/.aws/credentials — Select AWS Profile…`,
      { command: 'sagemakerSsh.selectProfile', title: 'Select AWS Profile…' },
      error.message,
    );
  }
  return errorNode(id, error.message, { command: retryCommand, title: 'Retry' });
}

/** The view header when no connection could be made: still names the profile that was asked for. */
export function failedSelectionLabel(error: UserFacingError): string {
  return error instanceof ProfileNotFoundError ? `${error.profile} (not found)` : '';
}

export function setViewContext(key: string, value: string | boolean): void {
  void vscode.commands.executeCommand('setContext', `sagemakerSsh.${key}`, value);
}

/** What a view shows after its load failed: the welcome view's problem text, else a node with a retry. */
export function failedViewNodes(id: string, error: UserFacingError, retryCommand: string): MessageNode[] {
  return viewProblemOf(error) ? [] : [problemNode(id, error, retryCommand)];
}
