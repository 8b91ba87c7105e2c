import * as vscode from 'vscode';
import type { UserFacingError } from '../util/errors';

/**
 * Problems a view explains with its welcome content (package.json viewsWelcome) instead of an
 * error item, because the fix is a button: pick a profile, pick a region.
 */
export type ViewProblem = 'noCredentials' | 'noRegion' | '';

const problemsByCode: Readonly<Record<string, ViewProblem>> = {
  NoCredentials: 'noCredentials',
  ProfileNotFound: 'noCredentials',
  NoRegion: 'noRegion',
};

export function viewProblemOf(error: UserFacingError | undefined): ViewProblem {
  return error ? (problemsByCode[error.code] ?? '') : '';
}

export function setViewContext(key: string, value: string | boolean): void {
  void vscode.commands.executeCommand('setContext', `sagemakerSsh.${key}`, value);
}
