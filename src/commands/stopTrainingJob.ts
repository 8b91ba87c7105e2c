import * as vscode from 'vscode';
import { isAwsError } from '../util/errors';
import type { Logger } from '../util/logger';
import type { Explorer } from '../views/registerViews';
import type { AwsState } from '../vscode/awsState';
import { trainingJobNameOf } from './nodeTargets';
import { JobNotInProgressError } from './commandErrors';

export interface StopTrainingJobOptions {
  /** Skip the confirmation (programmatic use, tests). */
  readonly confirmed?: boolean;
}

export interface StopTrainingJobResult {
  readonly jobName: string;
}

/**
 * StopTrainingJob after a modal confirmation naming the job. The view then polls the job (Stopping
 * is a pending status) until SageMaker reports it Stopped.
 */
export async function stopTrainingJob(
  deps: { readonly aws: AwsState; readonly explorer: Explorer; readonly logger: Logger },
  item: unknown,
  options: StopTrainingJobOptions = {},
): Promise<StopTrainingJobResult | undefined> {
  const { jobName, status } = trainingJobNameOf(item, 'Stop Training Job');
  if (status !== undefined && status !== 'InProgress') {
    throw new JobNotInProgressError(jobName, `it is ${status}.`);
  }
  if (!options.confirmed) {
    const stop = 'Stop Training Job';
    const choice = await vscode.window.showWarningMessage(
      `Stop training job ${jobName}? SageMaker stops its containers (SIGTERM, then SIGKILL after 120 s) ` +
        'and uploads the model artifacts saved so far. Billing ends; the job cannot be resumed.',
      { modal: true },
      stop,
    );
    if (choice !== stop) return undefined;
  }
  const connection = await deps.aws.connection();
  const sagemaker = await connection.clients.sagemaker();
  const { StopTrainingJobCommand } = await import('@aws-sdk/client-sagemaker');
  try {
    await sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: jobName }));
  } catch (error) {
    if (isAwsError(error, 'ValidationException') && /status/i.test(error.message)) {
      throw new JobNotInProgressError(jobName, error.message, error);
    }
    throw connection.translate(error);
  }
  deps.logger.info(`StopTrainingJob ${jobName}: stopping`);
  void vscode.window.showInformationMessage(`Stopping training job ${jobName}…`);
  await deps.explorer.trainingJobs.refresh();
  return { jobName };
}
