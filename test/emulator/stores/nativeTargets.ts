/**
 * Session Manager targets that SageMaker serves itself (`sagemaker-training-job:<job>_algo-<N>`,
 * `sagemaker-cluster:<id>_<group>-<instance>`, a space): each names the simulated container whose
 * SageMaker-started agent answers it. The customer never sees that agent's `mi-` instance.
 */
export interface NativeTargetRecord {
  readonly target: string;
  readonly containerId: string;
}

/** Native targets by target string; `version` changes on every write. */
export class NativeTargetStore {
  private readonly byTarget = new Map<string, NativeTargetRecord>();
  private revision = 0;

  get version(): number {
    return this.revision;
  }

  /** Maps `target` to a container (replacing an earlier mapping of the same target). */
  register(target: string, containerId: string): void {
    this.byTarget.set(target, { target, containerId });
    this.revision++;
  }

  unregister(target: string): boolean {
    const removed = this.byTarget.delete(target);
    if (removed) this.revision++;
    return removed;
  }

  get(target: string): NativeTargetRecord | undefined {
    return this.byTarget.get(target);
  }

  /** The targets a container answers. */
  targetsOf(containerId: string): string[] {
    return this.all()
      .filter((record) => record.containerId === containerId)
      .map((record) => record.target);
  }

  all(): NativeTargetRecord[] {
    return [...this.byTarget.values()];
  }
}
