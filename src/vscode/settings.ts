import * as vscode from 'vscode';
import type { AwsSelection } from '../aws/awsContext';

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
