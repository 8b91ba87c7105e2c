import * as vscode from 'vscode';
import { RemoteDebugNotNowError, enableRemoteDebug } from '../sagemaker/remoteDebugUpdate';
import type { Logger } from '../util/logger';
import { TrainingJobNode } from '../views/nodes/trainingJobNode';
import type { Explorer } from '../views/registerViews';
import type { AwsState } from '../vscode/awsState';
import { NotATrainingJobError, TreeItemGoneError } from './commandErrors';

const COMMAND = 'Enable Remote Debug';

export interface EnableRemoteDebugResult {
  readonly jobName: string;
}

/**
 * Enable Remote Debug on a running job: UpdateTrainingJob with RemoteDebugConfig, then the job shows
 * its nodes as `SSM debug` (Open Terminal, Connect). Denied: the error names sagemaker:UpdateTrainingJob.
 */
export async function enableRemoteDebugCommand(
  deps: { readonly aws: AwsState; readonly explorer: Explorer; readonly logger: Logger },
  item: unknown,
): Promise<EnableRemoteDebugResult> {
  if (item === undefined) throw new TreeItemGoneError(COMMAND);
  if (!(item instanceof TrainingJobNode)) throw new NotATrainingJobError(COMMAND);
  const { job } = item.entry;
  if (job.status !== 'InProgress') throw new RemoteDebugNotNowError(job.name, `the job is ${job.status}.`);
  const connection = await deps.aws.connection();
  try {
    await enableRemoteDebug(await connection.clients.sagemaker(), job);
  } catch (error) {
    throw connection.translate(error);
  }
  deps.logger.info(`UpdateTrainingJob ${job.name}: remote debug enabled`);
  deps.explorer.trainingJobs.remoteDebug.set(job.name, true);
  void vscode.window.showInformationMessage(
    `Remote debug is on for ${job.name}. Its nodes show "SSM debug" once SageMaker's agent runs: Open Terminal or Connect on one.`,
  );
  await deps.explorer.trainingJobs.refresh();
  return { jobName: job.name };
}
