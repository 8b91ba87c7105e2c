import * as vscode from 'vscode';
import { isRegionCode, knownRegions } from '../aws/regions';
import { awsSelectionFromSettings, updateSetting } from '../vscode/settings';

interface RegionItem extends vscode.QuickPickItem {
  readonly region: string | 'other';
}

async function askForRegion(): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'SageMaker SSH: AWS Region',
    prompt: 'Region code, for example eu-west-1',
    validateInput: (value) =>
      isRegionCode(value.trim()) ? undefined : 'Enter a region code such as us-east-1 or eu-central-2',
  });
}

/** Quick pick of AWS regions; writes sagemakerSsh.region (empty = environment or profile default). */
export async function selectRegion(): Promise<string | undefined> {
  const current = awsSelectionFromSettings().region || undefined;
  const items: RegionItem[] = [
    {
      label: '$(settings) From environment or profile',
      description: current ? undefined : 'current',
      detail: 'AWS_REGION, AWS_DEFAULT_REGION, else the profile’s region',
      region: '',
    },
    ...knownRegions.map((r) => ({
      label: r.code,
      description: r.code === current ? `${r.name} · current` : r.name,
      region: r.code,
    })),
    { label: '$(edit) Other region…', region: 'other' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'SageMaker SSH: AWS Region',
    placeHolder: 'Region of your SageMaker jobs and Studio domains',
    matchOnDescription: true,
  });
  if (!picked) {
    return undefined;
  }
  const region = picked.region === 'other' ? (await askForRegion())?.trim() : picked.region;
  if (region === undefined) {
    return undefined;
  }
  await updateSetting('region', region);
  return region;
}
