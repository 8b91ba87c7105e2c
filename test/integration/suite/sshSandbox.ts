import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import * as vscode from 'vscode';

export const run = promisify(execFile);

export function sshDir(): string {
  return path.join(os.homedir(), '.ssh');
}

/**
 * OpenSSH finds ~/.ssh/config through the passwd entry, not $HOME, so inside the test sandbox the
 * extension is pointed at a config of its own through remote.SSH.configFile, exactly as a user with
 * a custom config file would be, and ssh is run with -F like Remote-SSH does for such users.
 */
export function userConfig(): string {
  return path.join(sshDir(), 'sandbox_config');
}

/** The ssh on PATH, as an absolute path (for remote.SSH.path). */
export function sshOnPath(): string {
  return execFileSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).trim();
}

/** Points remote.SSH.configFile (and, when given, remote.SSH.path) at the sandbox's own files. */
export async function useSandboxSshConfig(options: { sshPath?: string } = {}): Promise<void> {
  const settingsFile = path.join(
    process.env.SAGEMAKER_SSH_TEST_SANDBOX!,
    'user-data',
    'User',
    'settings.json',
  );
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  // An earlier suite may have set the same values: writing them again fires no change event.
  if (
    settings['remote.SSH.configFile'] === userConfig() &&
    (options.sshPath === undefined || settings['remote.SSH.path'] === options.sshPath)
  ) {
    return;
  }
  const changed = new Promise<void>((resolve) => {
    const subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('remote.SSH.configFile')) {
        subscription.dispose();
        resolve();
      }
    });
  });
  fs.writeFileSync(
    settingsFile,
    JSON.stringify(
      {
        ...settings,
        'remote.SSH.configFile': userConfig(),
        ...(options.sshPath === undefined ? {} : { 'remote.SSH.path': options.sshPath }),
      },
      null,
      2,
    ),
  );
  await changed;
}

export async function ssh(alias: string, command: string): Promise<string> {
  const { stdout } = await run('ssh', ['-F', userConfig(), '-o', 'BatchMode=yes', alias, command], {
    timeout: 60_000,
  });
  return stdout.trim();
}
