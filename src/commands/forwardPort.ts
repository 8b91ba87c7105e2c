import * as vscode from 'vscode';
import { recentlySeenNode, resolveSshNode } from '../connect/resolveTarget';
import { COMMON_PORTS, commonPortName } from '../forward/commonPorts';
import { LocalPortInUseError } from '../forward/forwardErrors';
import type { ForwardInfo, ForwardManager } from '../forward/forwardManager';
import { forwardPlaceOf } from '../forward/forwardPlace';
import { parsePort } from '../forward/localPorts';
import { targetForNode } from '../targets/sshTarget';
import { errorMessage } from '../util/errors';
import type { Logger } from '../util/logger';
import { PortForwardNode } from '../views/nodes/portForwardNode';
import type { AwsState } from '../vscode/awsState';
import { openForwardInBrowser } from '../vscode/portForwards';
import { TreeItemGoneError } from './commandErrors';
import { nodeTargetOf } from './nodeTargets';
import { NotAForwardError } from './commandErrors';

export interface ForwardPortDependencies {
  readonly aws: AwsState;
  readonly logger: Logger;
  readonly forwards: ForwardManager;
}

export interface ForwardPortOptions {
  /** The container's port; skips the quick pick (tests, the debugger attach). */
  readonly port?: number;
  /** The local port; default the same number when free, else any free port. */
  readonly localPort?: number;
  /** No "Forwarding…" notification (programmatic use, tests). */
  readonly quiet?: boolean;
}

const OTHER_PORT = 'Other port…';

async function askOtherPort(): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Forward Port',
    prompt: 'The port in the container (1–65535)',
    placeHolder: '8080',
    validateInput: (value) => {
      try {
        parsePort(value, 'port');
        return undefined;
      } catch (error) {
        return errorMessage(error);
      }
    },
  });
  return text === undefined ? undefined : parsePort(text, 'port');
}

/** Jupyter, TensorBoard, debugpy, VNC, Ray dashboard, or any other port. */
async function pickRemotePort(): Promise<number | undefined> {
  const items: vscode.QuickPickItem[] = [
    ...COMMON_PORTS.map((common) => ({ label: String(common.port), description: common.name })),
    { label: OTHER_PORT, alwaysShow: true },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Forward Port',
    placeHolder: 'The port of the server in the container',
  });
  if (!picked) return undefined;
  return picked.label === OTHER_PORT ? askOtherPort() : Number(picked.label);
}

/**
 * Forward Port… on a job (algo-1), a node or a Studio app: starts a forward over an SSM port session
 * (no ssh), shown under the node until stopped. Resolves with the forward (its local port).
 */
export async function forwardPort(
  deps: ForwardPortDependencies,
  item: unknown,
  options: ForwardPortOptions = {},
): Promise<ForwardInfo | undefined> {
  const nodeTarget = nodeTargetOf(item, 'Forward Port');
  const { target } = nodeTarget;
  const remotePort = options.port !== undefined ? parsePort(options.port, 'port') : await pickRemotePort();
  if (remotePort === undefined) return undefined;
  const localPort = options.localPort === undefined ? undefined : parsePort(options.localPort, 'local port');
  const connection = await deps.aws.connection();
  const forward = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `SageMaker SSH: forwarding port ${remotePort}…`,
    },
    async () => {
      try {
        const node = recentlySeenNode(target, nodeTarget.seen) ?? (await resolveSshNode(connection, target));
        return await deps.forwards.start({
          place: forwardPlaceOf(targetForNode(target, node.name)),
          instanceId: node.instance.instanceId,
          remotePort,
          localPort,
          name: commonPortName(remotePort),
        });
      } catch (error) {
        if (error instanceof LocalPortInUseError && error.suggestion) {
          const suggestion = error.suggestion;
          throw new LocalPortInUseError(error.port, suggestion, error, [
            {
              title: `Use Port ${suggestion}`,
              command: 'sagemakerSsh.forwardPort',
              args: [item, { port: remotePort, localPort: suggestion }],
            },
          ]);
        }
        throw connection.translate(error);
      }
    },
  );
  if (!options.quiet) void announce(forward);
  return forward;
}

async function announce(forward: ForwardInfo): Promise<void> {
  const open = 'Open in Browser';
  const choice = await vscode.window.showInformationMessage(
    `Forwarding localhost:${forward.localPort} → port ${forward.remotePort} of ${forward.placeLabel}` +
      (forward.name ? ` (${forward.name})` : '') +
      '. It is listed under the node until you stop it.',
    open,
  );
  if (choice === open) await openForwardInBrowser(forward);
}

/** The forward a command was run on: its tree item, or a ForwardInfo (from a script or test). */
function forwardOf(item: unknown, command: string): Pick<ForwardInfo, 'id' | 'localPort'> {
  if (item === undefined) throw new TreeItemGoneError(command);
  if (item instanceof PortForwardNode) return item.forward;
  const shape = item as Partial<ForwardInfo> | undefined;
  if (typeof shape?.id === 'string' && typeof shape.localPort === 'number') {
    return { id: shape.id, localPort: shape.localPort };
  }
  throw new NotAForwardError(command);
}

/** Stop Forwarding: closes the local port and terminates the session on the service. */
export async function stopForward(deps: { readonly forwards: ForwardManager }, item: unknown): Promise<void> {
  await deps.forwards.stop(forwardOf(item, 'Stop Forwarding').id);
}

/** Open in Browser: http://127.0.0.1:<local port>. */
export async function openForward(item: unknown): Promise<boolean> {
  return openForwardInBrowser(forwardOf(item, 'Open in Browser'));
}
