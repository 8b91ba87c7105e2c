export interface ActivationRecord {
  readonly id: string;
  readonly code: string;
  readonly iamRole: string;
  readonly registrationLimit: number;
  registrationsCount: number;
  readonly description?: string;
  readonly defaultInstanceName?: string;
  readonly createdDate: Date;
  readonly expirationDate: Date;
  /** Applied to every instance registered with this activation. */
  readonly tags: Map<string, string>;
  /**
   * Made by SageMaker for its own agent in a container (remote debug, spaces, HyperPod): it lives in
   * the service's account, so neither it nor its instances show in the customer's Describe calls.
   */
  readonly hidden?: boolean;
}

/** Hybrid activations by id, in creation order. */
export class ActivationStore {
  private readonly byId = new Map<string, ActivationRecord>();
  private revision = 0;

  get version(): number {
    return this.revision;
  }

  add(activation: ActivationRecord): void {
    if (this.byId.has(activation.id)) throw new Error(`Activation ${activation.id} already exists`);
    this.byId.set(activation.id, activation);
    this.revision++;
  }

  get(id: string): ActivationRecord | undefined {
    return this.byId.get(id);
  }

  all(): ActivationRecord[] {
    return [...this.byId.values()];
  }

  /** What the customer's DescribeActivations sees: every activation but SageMaker's own. */
  visible(): ActivationRecord[] {
    return this.all().filter((activation) => !activation.hidden);
  }

  countRegistration(activation: ActivationRecord): void {
    activation.registrationsCount++;
    this.revision++;
  }
}
