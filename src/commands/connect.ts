import * as vscode from 'vscode';
import { prepareSshHost } from '../connect/prepareSshHost';
import { prepareRemoteDebugHost } from '../connect/remoteDebugHost';
import { prepareSpaceHost } from '../connect/prepareSpaceHost';
import { SPACE_HOME } from '../targets/studioSpace';
import type { ProxyInstall } from '../proxy/proxyArgv';
import { localSshConfigPaths } from '../ssh/config/sshConfigPaths';
import { homeFolder } from '../targets/sshTarget';
import { CancellationSource } from '../util/sleep';
import type { Logger } from '../util/logger';
import type { AwsState } from '../vscode/awsState';
import { connectSettings } from '../vscode/connectSettings';
import { sshCommandFor } from '../vscode/handOff';
import type { HandOff, HandOffResult } from '../vscode/handOff';
import { offerRecommendedSettings, remoteSshConfigFile, remoteSshPath } from '../vscode/remoteSsh';
import { nodeTargetOf } from './nodeTargets';

export interface ConnectDependencies {
  readonly aws: AwsState;
  readonly logger: Logger;
  readonly memento: vscode.Memento;
  /** Installs (or refreshes) the ProxyCommand launcher and CLI copy in global storage. */
  readonly proxyInstall: () => Promise<ProxyInstall>;
  readonly handOff: () => HandOff;
}

export interface ConnectResult {
  readonly alias: string;
  readonly handOff: HandOffResult;
}

export interface ConnectOptions {
  /** Skip the recommended-settings offer (programmatic use, tests). */
  readonly quiet?: boolean;
}

/**
 * Connect on a job, node or app: resolve, push the key, write the ssh config, then open a
 * Remote-SSH window on `ssh-remote+<alias>`. Progress is shown and can be cancelled.
 */
export async function connect(
  deps: ConnectDependencies,
  item: unknown,
  options: ConnectOptions = {},
): Promise<ConnectResult> {
  const { target, seen, seenHyperPod } = nodeTargetOf(item, 'Connect');
  const settings = connectSettings();
  const connection = await deps.aws.connection();
  const configPaths = localSshConfigPaths(remoteSshConfigFile());
  if (!configPaths.customUserConfig && configPaths.sshHomeDir !== configPaths.homeDir) {
    deps.logger.info(
      `$HOME (${configPaths.homeDir}) is not your home in the user database (${configPaths.sshHomeDir}), where ` +
        `OpenSSH reads ~/.ssh/config: the Include goes to ${configPaths.userConfig}. Set remote.SSH.configFile ` +
        'to use another file.',
    );
  }
  const install = await deps.proxyInstall();
  if (target.kind === 'remoteDebugNode') {
    const env = { connection, install, configPaths, logger: deps.logger, sshPath: remoteSshPath() };
    const debugHost = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'SageMaker SSH', cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        progress.report({ message: 'Starting sshd in the container…' });
        try {
          return await prepareRemoteDebugHost(env, target, abort.signal);
        } catch (error) {
          throw connection.translate(error);
        }
      },
    );
    deps.logger.info(
      `Connected ${debugHost.alias} → ${debugHost.ready.ssmTarget} port ${debugHost.ready.sshd.port}`,
    );
    const handOff = await deps.handOff().open({
      alias: debugHost.alias,
      folder: settings.trainingFolder,
      newWindow: settings.newWindow,
      ssh: sshCommandFor(debugHost.alias, configPaths.sshArgs, remoteSshPath()),
    });
    return { alias: debugHost.alias, handOff };
  }
  if (target.kind === 'studioSpace') {
    const env = { connection, install, configPaths, logger: deps.logger, sshPath: remoteSshPath() };
    const space = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'SageMaker SSH', cancellable: true },
      async (progress, token) => {
        const cancellation = new CancellationSource();
        token.onCancellationRequested(() => cancellation.cancel());
        return prepareSpaceHost(env, {
          target,
          surface: 'extension',
          signal: cancellation,
          onProgress: (message) => progress.report({ message }),
        }).catch((error: unknown) => {
          throw connection.translate(error);
        });
      },
    );
    deps.logger.info(`Connected ${space.alias} → ${space.spaceArn} (host key pinned)`);
    return handOffTo(deps, space.alias, SPACE_HOME, configPaths.sshArgs, options);
  }
  const prepared = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'SageMaker SSH', cancellable: true },
    async (progress, token) => {
      const cancellation = new CancellationSource();
      token.onCancellationRequested(() => cancellation.cancel());
      progress.report({ message: 'Finding the container…' });
      try {
        return await prepareSshHost(
          {
            connection,
            install,
            configPaths,
            logger: deps.logger,
            sshPath: remoteSshPath(),
          },
          {
            target,
            waitSeconds: settings.waitSeconds,
            signal: cancellation,
            onWaiting: (message) => progress.report({ message }),
            seen,
            seenHyperPod,
          },
        );
      } catch (error) {
        throw connection.translate(error);
      }
    },
  );
  deps.logger.info(
    `Connected ${prepared.alias} → ${prepared.ready.instanceId}` +
      (prepared.ready.pushed ? ' (key installed)' : ' (key already installed)'),
  );
  const folder = target.kind === 'trainingNode' ? settings.trainingFolder : homeFolder(prepared.target);
  return handOffTo(deps, prepared.alias, folder, configPaths.sshArgs, options);
}

async function handOffTo(
  deps: ConnectDependencies,
  alias: string,
  folder: string,
  sshArgs: readonly string[],
  options: ConnectOptions,
): Promise<ConnectResult> {
  const handOff = await deps.handOff().open({
    alias,
    folder,
    newWindow: connectSettings().newWindow,
    ssh: sshCommandFor(alias, sshArgs, remoteSshPath()),
  });
  // The recommendations are Remote-SSH settings: pointless (and confusing) without a Remote-SSH extension.
  if (!options.quiet && handOff.kind === 'remoteWindow') {
    void offerRecommendedSettings(alias, deps.memento);
  }
  return { alias, handOff };
}
