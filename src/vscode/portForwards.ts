import * as vscode from 'vscode';
import { ForwardManager } from '../forward/forwardManager';
import type { ForwardInfo } from '../forward/forwardManager';
import type { Logger } from '../util/logger';
import type { AwsState } from './awsState';

/** The URL Open in Browser opens for a forward. */
export function forwardUrl(forward: Pick<ForwardInfo, 'localPort'>): vscode.Uri {
  return vscode.Uri.parse(`http://127.0.0.1:${forward.localPort}/`);
}

export async function openForwardInBrowser(forward: Pick<ForwardInfo, 'localPort'>): Promise<boolean> {
  return vscode.env.openExternal(forwardUrl(forward));
}

/**
 * The window's forward manager: sessions through the selected AWS profile and region, our own
 * SSM client loaded on the first forward (not at activation), warnings when a forward ends by
 * itself or a connection finds nothing listening. Dispose (deactivate) stops every forward.
 */
export function createForwardManager(aws: AwsState, logger: Logger): ForwardManager {
  const manager = new ForwardManager(async (request) => {
    const connection = await aws.connection();
    const [{ startForward }, { SsmApi }] = await Promise.all([
      import('../forward/startForward'),
      import('../ssm/ssmApi'),
    ]);
    return startForward(await SsmApi.forConnection(connection), request, { log: logger });
  }, logger);
  manager.on('problem', (info, error) => {
    void vscode.window.showWarningMessage(error.message, 'Stop Forwarding').then((choice) => {
      if (choice) void manager.stop(info.id);
    });
  });
  manager.on('ended', (info, reason) => {
    void vscode.window.showWarningMessage(
      `The forward of port ${info.remotePort} of ${info.placeLabel} (localhost:${info.localPort}) ended: ${reason}`,
    );
  });
  return manager;
}
