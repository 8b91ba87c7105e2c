import * as vscode from 'vscode';

/** Remote-SSH implementations that resolve the `ssh-remote+<host>` authority, preferred first. */
export const remoteSshExtensionIds = [
  'ms-vscode-remote.remote-ssh',
  'jeanp413.open-remote-ssh',
  'anysphere.remote-ssh',
  'codeium.windsurf-remote-openssh',
  'google.antigravity-remote-openssh',
] as const;

export function installedRemoteSsh(): string | undefined {
  return remoteSshExtensionIds.find((id) => vscode.extensions.getExtension(id) !== undefined);
}

/** The extension to suggest installing: open-remote-ssh where Microsoft's marketplace is not used. */
export function suggestedRemoteSsh(): string {
  const name = vscode.env.appName.toLowerCase();
  return name.includes('visual studio code') ? 'ms-vscode-remote.remote-ssh' : 'jeanp413.open-remote-ssh';
}

export function remoteSshConfigFile(): string | undefined {
  return vscode.workspace.getConfiguration('remote.SSH').get<string>('configFile') || undefined;
}

export function remoteSshPath(): string | undefined {
  return vscode.workspace.getConfiguration('remote.SSH').get<string>('path') || undefined;
}

export function remoteAuthorityUri(alias: string, folder: string): vscode.Uri {
  return vscode.Uri.from({ scheme: 'vscode-remote', authority: `ssh-remote+${alias}`, path: folder });
}

/**
 * Settings that make Remote-SSH work well with SSM tunnels, offered (never forced): a longer
 * connect timeout (container registration and key push take a while) and a fixed platform for
 * our aliases only, so Remote-SSH skips its OS probe.
 */
export async function offerRecommendedSettings(alias: string, memento: vscode.Memento): Promise<void> {
  const config = vscode.workspace.getConfiguration('remote.SSH');
  const timeout = config.get<number>('connectTimeout') ?? 15;
  const platforms = config.get<Record<string, string>>('remotePlatform') ?? {};
  const needsTimeout = timeout < 120;
  const needsPlatform = platforms[alias] !== 'linux';
  if ((!needsTimeout && !needsPlatform) || memento.get('sagemakerSsh.recommendedSettingsDeclined')) {
    return;
  }
  const changes = [
    needsTimeout && `remote.SSH.connectTimeout: ${timeout} → 120`,
    needsPlatform && `remote.SSH.remotePlatform["${alias}"] = "linux"`,
  ].filter(Boolean);
  const apply = 'Apply';
  const never = "Don't Ask Again";
  const choice = await vscode.window.showInformationMessage(
    `Recommended Remote-SSH settings for SageMaker: ${changes.join('; ')}.`,
    apply,
    never,
  );
  if (choice === never) {
    await memento.update('sagemakerSsh.recommendedSettingsDeclined', true);
  } else if (choice === apply) {
    if (needsTimeout) {
      await config.update('connectTimeout', 120, vscode.ConfigurationTarget.Global);
    }
    if (needsPlatform) {
      await config.update(
        'remotePlatform',
        { ...platforms, [alias]: 'linux' },
        vscode.ConfigurationTarget.Global,
      );
    }
  }
}
