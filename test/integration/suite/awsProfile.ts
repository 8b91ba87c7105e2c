import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Emulator } from '../../emulator';

/** What a profile needs from an emulator: its endpoint and one identity's region and keys. */
export interface EmulatorAccess {
  readonly endpoint: string;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Points the extension at an emulator the way a user points it at an AWS account: a profile in
 * the sandbox's ~/.aws files with `endpoint_url`, chosen through the extension's settings.
 */
export async function useProfileFor(access: EmulatorAccess, profile = 'emulator'): Promise<void> {
  const { endpoint, env } = access;
  const aws = path.join(os.homedir(), '.aws');
  fs.mkdirSync(aws, { recursive: true });
  fs.writeFileSync(
    path.join(aws, 'config'),
    `[profile ${profile}]\nregion = ${env.AWS_REGION}\nendpoint_url = ${endpoint}\n`,
  );
  fs.writeFileSync(
    path.join(aws, 'credentials'),
    `[${profile}]\naws_access_key_id = ${env.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${env.AWS_SECRET_ACCESS_KEY}\n`,
  );
  const config = vscode.workspace.getConfiguration('sagemakerSsh');
  await config.update('profile', profile, vscode.ConfigurationTarget.Global);
  await config.update('region', env.AWS_REGION, vscode.ConfigurationTarget.Global);
}

/** The same for an emulator this process started, as one of its identities. */
export function useEmulatorProfile(
  emulator: Emulator,
  identity: string,
  profile = 'emulator',
): Promise<void> {
  return useProfileFor({ endpoint: emulator.endpoint, env: emulator.env(identity) }, profile);
}

export async function clearProfileSettings(): Promise<void> {
  const config = vscode.workspace.getConfiguration('sagemakerSsh');
  await config.update('profile', undefined, vscode.ConfigurationTarget.Global);
  await config.update('region', undefined, vscode.ConfigurationTarget.Global);
}
