import * as vscode from 'vscode';
import { recentlySeenNode, resolveSshNode } from '../connect/resolveTarget';
import { nodeNameOf } from '../targets/sshTarget';
import { remoteDebugSsmTarget } from '../targets/remoteDebugNode';
import { withRemoteDebugDiagnosis } from '../connect/remoteDebugErrors';
import { SsmApi } from '../ssm/ssmApi';
import { endOnService, startShellSession } from '../ssm/shellSessionStart';
import type { Logger } from '../util/logger';
import type { AwsState } from '../vscode/awsState';
import { ShellPseudoterminal } from '../vscode/shellPseudoterminal';
import { nodeTargetOf } from './nodeTargets';
import type { ResolvedTarget } from '../targets/sshTarget';
import { HyperPodNodeNode } from '../views/nodes/hyperPodNodeNode';
import { resolveHyperPodNode, recentlySeenHyperPodNode } from '../connect/resolveHyperPodNode';
import type { AwsConnection } from '../aws/awsAccess';
import { openSpaceShell } from '../connect/spaceShell';
import type { ProxyInstall } from '../proxy/proxyArgv';
import { localSshConfigPaths } from '../ssh/config/sshConfigPaths';
import type { StudioSpaceTarget } from '../targets/studioSpace';
import { targetAlias } from '../targets/targetAlias';
import { remoteSshConfigFile } from '../vscode/remoteSsh';
import { SpacePseudoterminal } from '../vscode/spacePseudoterminal';

export interface OpenTerminalResult {
  readonly terminal: vscode.Terminal;
  readonly pty: ShellPseudoterminal;
  readonly instanceId: string;
}

/** Open Terminal on a Studio space: a login shell over SSH (its session is a stream to sshd). */
export interface SpaceTerminalResult {
  readonly terminal: vscode.Terminal;
  readonly pty: SpacePseudoterminal;
  readonly alias: string;
}

/**
 * Open Terminal on a training job (algo-1), a node or a Studio app: an SSM shell session
 * (ssm:StartSession without a document) shown in an integrated terminal, no ssh. The session is
 * started before the terminal exists, so an offline node or a denied StartSession is a
 * notification naming the fix, not a dead terminal.
 */
export async function openTerminal(
  deps: {
    readonly aws: AwsState;
    readonly logger: Logger;
    readonly proxyInstall: () => Promise<ProxyInstall>;
  },
  item: unknown,
): Promise<OpenTerminalResult | SpaceTerminalResult> {
  if (item instanceof HyperPodNodeNode) {
    return openHyperPodTerminal(deps, item);
  }
  const { target, seen } = nodeTargetOf(item, 'Open Terminal');
  const node = nodeNameOf(target);
  const connection = await deps.aws.connection();
  if (target.kind === 'studioSpace') return openSpaceTerminal(deps, connection, target);
  const instanceId =
    target.kind === 'remoteDebugNode'
      ? remoteDebugSsmTarget(target)
      : (recentlySeenNode(target, seen) ?? (await resolveSshNode(connection, target))).instance.instanceId;
  const api = await SsmApi.forConnection(connection);
  const start = (): ReturnType<typeof startShellSession> =>
    startShellSession(api, instanceId, { log: deps.logger });
  const session =
    target.kind === 'remoteDebugNode'
      ? await withRemoteDebugDiagnosis(connection, target, start)
      : await start();
  const pty = new ShellPseudoterminal(session, (end) => endOnService(api, session.sessionId, end));
  const terminal = showTerminal(terminalName(target, node), pty);
  deps.logger.info(`Open Terminal: session ${session.sessionId} on ${instanceId}.`);
  return { terminal, pty, instanceId };
}

function terminalName(target: ResolvedTarget, node: string | undefined): string {
  switch (target.kind) {
    case 'trainingNode':
      return `${node ?? 'algo-1'} · ${target.jobName}`;
    case 'payloadResource':
      return `${node ?? 'algo-1'} · ${target.name}`;
    case 'remoteDebugNode':
      return `${node ?? 'algo-1'} · ${target.jobName}`;
    case 'studioApp':
      return `${target.appType ?? 'app'} · ${target.appName}`;
    case 'hyperPodNode':
      return `${target.instanceId} · ${target.clusterName}`;
    case 'studioSpace':
      return `space · ${target.spaceName}`;
  }
}

function showTerminal(name: string, pty: ShellPseudoterminal): vscode.Terminal {
  const terminal = vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon('terminal') });
  terminal.show();
  return terminal;
}

/**
 * Open Terminal on a HyperPod node: a shell session to its `sagemaker-cluster:` target (AWS's own
 * agent; the shell starts as root). A node the view listed as Running less than a minute ago is
 * used as is; otherwise SageMaker is asked first, so a replaced node is named, not a dead session.
 */
async function openHyperPodTerminal(
  deps: { readonly aws: AwsState; readonly logger: Logger },
  item: HyperPodNodeNode,
): Promise<OpenTerminalResult> {
  const connection = await deps.aws.connection();
  const target = item.target;
  const node =
    recentlySeenHyperPodNode(target, { node: item.node, checkedAt: item.checkedAt }) ??
    (await resolveHyperPodNode(connection, target));
  const api = await SsmApi.forConnection(connection);
  const session = await startShellSession(api, node.ssmTarget, { log: deps.logger });
  const pty = new ShellPseudoterminal(session, (end) => endOnService(api, session.sessionId, end));
  const terminal = showTerminal(terminalName(target, undefined), pty);
  deps.logger.info(`Open Terminal: session ${session.sessionId} on ${node.ssmTarget}.`);
  return { terminal, pty, instanceId: node.ssmTarget };
}

async function openSpaceTerminal(
  deps: {
    readonly aws: AwsState;
    readonly logger: Logger;
    readonly proxyInstall: () => Promise<ProxyInstall>;
  },
  connection: AwsConnection,
  target: StudioSpaceTarget,
): Promise<SpaceTerminalResult> {
  const alias = targetAlias(target);
  const [install, configPaths] = [await deps.proxyInstall(), localSshConfigPaths(remoteSshConfigFile())];
  const shell = await openSpaceShell(
    {
      connection,
      stateDir: install.stateDir,
      knownHostsPath: configPaths.knownHosts,
      logger: deps.logger,
      surface: 'extension',
    },
    { alias, target, pty: { cols: 80, rows: 24 } },
  ).catch((error: unknown) => {
    throw connection.translate(error);
  });
  const pty = new SpacePseudoterminal(shell);
  const terminal = vscode.window.createTerminal({
    name: `space · ${target.spaceName}`,
    pty,
    iconPath: new vscode.ThemeIcon('terminal'),
  });
  terminal.show();
  deps.logger.info(`Open Terminal: ssh as sagemaker-user in ${alias}.`);
  return { terminal, pty, alias };
}
