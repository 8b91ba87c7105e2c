import { stat } from 'node:fs/promises';
import type * as vscode from 'vscode';
import type { ProxyInstall } from '../proxy/proxyArgv';
import { retargetProxyCommand } from '../proxy/proxyArgv';
import { installProxyLauncher, primeCodeCache } from '../proxy/proxyLauncher';
import { localSshConfigPaths } from '../ssh/config/sshConfigPaths';
import { SshConfigStore } from '../ssh/config/sshConfigStore';
import { errorMessage } from '../util/errors';
import type { Logger } from '../util/logger';
import { remoteSshConfigFile } from './remoteSsh';

/**
 * Keeps the ProxyCommand working across VS Code and extension updates: refreshes the launcher
 * (which names VS Code's runtime) and the CLI copy in global storage, and rewrites our hosts'
 * ProxyCommands if their paths differ. Runs on activation, including the activation Remote-SSH
 * triggers (onResolveRemoteAuthority:ssh-remote) before it starts ssh.
 */
export class ProxyMaintenance {
  private current?: Promise<ProxyInstall>;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly logger: Logger,
  ) {}

  /** The installed launcher; installs or refreshes it on first use. */
  install(): Promise<ProxyInstall> {
    this.current ??= this.refresh().catch((error: unknown) => {
      this.current = undefined;
      throw error;
    });
    return this.current;
  }

  private async refresh(): Promise<ProxyInstall> {
    const cliBundle = this.context.asAbsolutePath('dist/sm-ssh.js');
    // The loader rarely changes; the main bundle next to it is what each release replaces.
    const bundle = await stat(this.context.asAbsolutePath('dist/sm-ssh-main.js'));
    const extensionVersion = (this.context.extension.packageJSON as { version?: string }).version ?? '0';
    const install = await installProxyLauncher({
      runtimePath: process.execPath,
      cliBundle,
      stateDir: this.context.globalStorageUri.fsPath,
      version: `${extensionVersion}:${bundle.size}:${bundle.mtimeMs}`,
    });
    await this.retargetHosts(install);
    if (install.changed) {
      void primeCodeCache(install, process.execPath).then((primed) => {
        if (!primed)
          this.logger.debug('Could not prime the ProxyCommand code cache; it is written on first use.');
      });
    }
    return install;
  }

  private async retargetHosts(install: ProxyInstall): Promise<void> {
    try {
      const store = new SshConfigStore({
        paths: localSshConfigPaths(remoteSshConfigFile()),
      });
      const hosts = await store.listHosts();
      const stale = hosts.filter((h) => {
        const next = retargetProxyCommand(h.proxyCommand, install);
        return next !== undefined && next.join('\0') !== h.proxyCommand.join('\0');
      });
      if (stale.length > 0) {
        await store.rewriteProxyCommands(
          (h) => retargetProxyCommand(h.proxyCommand, install) ?? h.proxyCommand,
        );
        this.logger.info(
          `Updated the ProxyCommand of ${stale.length} SSH host(s) to ${install.launcherPath}`,
        );
      }
    } catch (error) {
      this.logger.warn(`Could not check the SSH config for outdated ProxyCommands: ${errorMessage(error)}`);
    }
  }
}
