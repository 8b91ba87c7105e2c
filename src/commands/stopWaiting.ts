import * as vscode from 'vscode';
import { stopWaiting as stopWaitingOn } from '../operations/stopWaiting';
import type { StopWaitingResult } from '../operations/stopWaiting';
import { targetResourceName } from '../targets/sshTarget';
import type { Logger } from '../util/logger';
import type { AwsState } from '../vscode/awsState';
import { nodeTargetOf } from './nodeTargets';

export interface StopWaitingOptions {
  /** Skip the confirmation (programmatic use, tests). */
  readonly confirmed?: boolean;
}

/** Stop Waiting on a job, node or app of the tree: confirms, runs the shared operation, reports each node. */
export async function stopWaiting(
  deps: { readonly aws: AwsState; readonly logger: Logger },
  item: unknown,
  options: StopWaitingOptions = {},
): Promise<StopWaitingResult[] | undefined> {
  const { target, seen } = nodeTargetOf(item, 'Stop Waiting');
  const name = targetResourceName(target);
  const connection = await deps.aws.connection();
  const confirm = async (nodes: readonly string[]): Promise<boolean> => {
    const stop = 'Stop Waiting';
    const choice = await vscode.window.showWarningMessage(
      `Stop waiting on ${nodes.join(', ')} of ${name}? Its script continues past sm-wait.`,
      { modal: true },
      stop,
    );
    return choice === stop;
  };
  const results = await stopWaitingOn(connection, {
    target,
    seen,
    confirm: options.confirmed ? undefined : confirm,
    logger: deps.logger,
  });
  if (!results) {
    return undefined;
  }
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
