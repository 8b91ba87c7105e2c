/** A SageMaker resource a container can register SSH for. */
export type SshTarget = TrainingJobTarget | StudioAppTarget;

export interface TrainingJobTarget {
  readonly kind: 'training-job';
  readonly jobName: string;
}

export interface StudioAppTarget {
  readonly kind: 'app';
  readonly domainId: string;
  /** The user profile (Studio Classic) or space (Studio) that owns the app. */
  readonly ownerName: string;
  readonly appName: string;
  /**
   * JupyterLab, CodeEditor, KernelGateway…: two apps of one space may share a name. Undefined
   * matches any type (ProxyCommands written before the type was recorded).
   */
  readonly appType?: string;
}

export function targetResourceName(target: SshTarget): string {
  return target.kind === 'training-job' ? target.jobName : target.appName;
}
