import * as vscode from 'vscode';
import type { AwsSelection } from '../aws/awsContext';
import { DEFAULT_MAX_SESSIONS, MAX_SESSIONS_LIMIT } from '../transfer/stripes';

export const configSection = 'sagemakerSsh';

/** Our settings as the AWS layer understands them. */
export function awsSelectionFromSettings(): AwsSelection {
  const config = vscode.workspace.getConfiguration(configSection);
  return { profile: config.get<string>('profile'), region: config.get<string>('region') };
}

export async function updateSetting(key: 'profile' | 'region', value: string | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration(configSection)
    .update(key, value === '' ? undefined : value, vscode.ConfigurationTarget.Global);
}

export function affectsAwsSelection(event: vscode.ConfigurationChangeEvent): boolean {
  return (
    event.affectsConfiguration(`${configSection}.profile`) ||
    event.affectsConfiguration(`${configSection}.region`)
  );
}

/** sagemakerSsh.transfer.maxSessions: at most this many SSM sessions per Download… / Upload…. */
export function transferMaxSessions(): number {
  const value = vscode.workspace.getConfiguration(configSection).get<number>('transfer.maxSessions');
  return typeof value === 'number' && Number.isFinite(value)
    ? Math.min(MAX_SESSIONS_LIMIT, Math.max(1, Math.floor(value)))
    : DEFAULT_MAX_SESSIONS;
}
