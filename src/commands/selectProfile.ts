import * as vscode from 'vscode';
import type { SharedConfig } from '../aws/sharedConfig';
import { describeProfileKind, profileNames, profileSection, readSharedConfig } from '../aws/sharedConfig';
import { awsSelectionFromSettings, updateSetting } from '../vscode/settings';

interface ProfileItem extends vscode.QuickPickItem {
  readonly profile: string;
}

function profileItems(config: SharedConfig, current: string | undefined): ProfileItem[] {
  const items: ProfileItem[] = [
    {
      label: '$(key) Default credential chain',
      description: current ? undefined : 'current',
      detail: 'AWS_PROFILE, environment keys, [default], container or instance role',
      profile: '',
    },
  ];
  for (const name of profileNames(config)) {
    const section = profileSection(config, name) ?? {};
    const region = section.region ? ` · ${section.region}` : '';
    items.push({
      label: `$(account) ${name}`,
      description: `${name === current ? 'current · ' : ''}${describeProfileKind(section)}${region}`,
      profile: name,
    });
  }
  return items;
}

/** Quick pick of the profiles in ~/.aws/config and ~/.aws/credentials; writes sagemakerSsh.profile. */
export async function selectProfile(): Promise<string | undefined> {
  const config = await readSharedConfig();
  const current = awsSelectionFromSettings().profile || undefined;
  const items = profileItems(config, current);
  if (items.length === 1) {
    void vscode.window.showInformationMessage(
      'No profiles found in ~/.aws/config or ~/.aws/credentials. Create one with "aws configure" or ' +
        '"aws configure sso"; until then the default credential chain is used.',
    );
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'SageMaker SSH: AWS Profile',
    placeHolder: 'Profile whose credentials the extension uses',
    matchOnDescription: true,
  });
  if (!picked) {
    return undefined;
  }
  await updateSetting('profile', picked.profile);
  return picked.profile;
}
