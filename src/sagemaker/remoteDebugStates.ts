import type { SageMakerClient } from '@aws-sdk/client-sagemaker';

/**
 * Which running jobs have remote debug on. Search's record has no RemoteDebugConfig (only
 * DescribeTrainingJob says), so each running job is described once, in parallel, the first time a
 * listing shows it; later refreshes ask nothing. Enable Remote Debug records its own change. A job
 * that cannot be described (gone, denied) counts as without remote debug and is asked again later.
 */
export class RemoteDebugStates {
  private readonly known = new Map<string, boolean>();

  isEnabled(jobName: string): boolean {
    return this.known.get(jobName) === true;
  }

  set(jobName: string, enabled: boolean): void {
    this.known.set(jobName, enabled);
  }

  /** Describes the jobs not known yet. */
  async learn(sagemaker: SageMakerClient, jobNames: readonly string[]): Promise<void> {
    const unknown = jobNames.filter((name) => !this.known.has(name));
    if (unknown.length === 0) return;
    const { DescribeTrainingJobCommand } = await import('@aws-sdk/client-sagemaker');
    await Promise.all(
      unknown.map(async (name) => {
        try {
          const job = await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
          this.known.set(name, job.RemoteDebugConfig?.EnableRemoteDebug === true);
        } catch {
          // Unknown until a later refresh; Connect on it would report the real error.
        }
      }),
    );
  }
}
