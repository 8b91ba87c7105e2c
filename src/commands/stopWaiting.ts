import * as vscode from 'vscode';
import { stopWaitingScript } from '../connect/remoteScripts';
import { runShellCommand } from '../connect/runShellCommand';
import { UserFacingError, errorMessage } from '../util/errors';
import type { Logger } from '../util/logger';
import type { AwsState } from '../vscode/awsState';
import { nodeTargetOf } from './nodeTargets';

export class NoOnlineNodeError extends UserFacingError {
  readonly code = 'NoOnlineNode';
  constructor(name: string) {
    super(
      `No SSH node of ${name} is online, so Stop Waiting cannot reach it through SSM. Refresh the view; if the ` +
        'agent stays offline, check the job log in CloudWatch (the job may already have moved past sm-wait).',
      { actions: [{ title: 'Refresh', command: 'sagemakerSsh.refreshTrainingJobs' }] },
    );
  }
}

export interface StopWaitingOptions {
  /** Skip the confirmation (programmatic use, tests). */
  readonly confirmed?: boolean;
}

export interface StopWaitingResult {
  readonly node: string;
  readonly instanceId: string;
  readonly ok: boolean;
  readonly message: string;
}

/**
 * Releases training held in `sm-wait` on the chosen node(s): SSM SendCommand creates
 * /tmp/sm-wait-stopped, exactly what `sm-wait stop` does. No SSH connection is needed.
 */
export async function stopWaiting(
  deps: { readonly aws: AwsState; readonly logger: Logger },
  item: unknown,
  options: StopWaitingOptions = {},
): Promise<StopWaitingResult[] | undefined> {
  const { target, allNodes } = nodeTargetOf(item, 'Stop Waiting');
  const nodes = allNodes.filter((n) => n.online);
  const name = target.kind === 'training-job' ? target.jobName : target.appName;
  if (nodes.length === 0) {
    throw new NoOnlineNodeError(name);
  }
  if (!options.confirmed) {
    const stop = 'Stop Waiting';
    const choice = await vscode.window.showWarningMessage(
      `Stop waiting on ${nodes.map((n) => n.name).join(', ')} of ${name}? The training script continues past sm-wait.`,
      { modal: true },
      stop,
    );
    if (choice !== stop) {
      return undefined;
    }
  }
  const connection = await deps.aws.connection();
  const ssm = await connection.clients.ssm();
  const results = await Promise.all(
    nodes.map(async (node): Promise<StopWaitingResult> => {
      try {
        const out = await runShellCommand(ssm, {
          instanceId: node.instanceId,
          purpose: 'Stop Waiting',
          lines: stopWaitingScript(),
          timeoutSeconds: 30,
        });
        return { node: node.name, instanceId: node.instanceId, ok: true, message: out.stdout.trim() };
      } catch (error) {
        const translated = connection.translate(error);
        deps.logger.warn(`Stop Waiting on ${node.instanceId}: ${errorMessage(translated)}`);
        return { node: node.name, instanceId: node.instanceId, ok: false, message: translated.message };
      }
    }),
  );
  const failed = results.filter((r) => !r.ok);
  if (failed.length) {
    void vscode.window.showErrorMessage(
      `Stop Waiting failed on ${failed.map((f) => `${f.node}: ${f.message}`).join('; ')}`,
    );
  } else {
    void vscode.window.showInformationMessage(
      `Stopped waiting on ${results.map((r) => r.node).join(', ')} of ${name}.`,
    );
  }
  return results;
}
