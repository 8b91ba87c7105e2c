import type { AwsConnection } from '../aws/awsAccess';
import { explainRemoteDebugTarget } from '../sagemaker/remoteDebugUpdate';
import { TargetNotConnectedError } from '../ssm/sessionErrors';
import type { RemoteDebugNodeTarget } from '../targets/remoteDebugNode';

/**
 * Runs `step` on a remote-debug node; when Session Manager finds no agent there (TargetNotConnected),
 * the job's description says why (built-in algorithm, remote debug off, job not running) instead.
 */
export async function withRemoteDebugDiagnosis<T>(
  connection: AwsConnection,
  target: RemoteDebugNodeTarget,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof TargetNotConnectedError)) throw error;
    const why = await explainRemoteDebugTarget(
      await connection.clients.sagemaker(),
      target.jobName,
      connection.context.surface,
    );
    throw why ?? error;
  }
}
