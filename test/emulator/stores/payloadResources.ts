import type { Tags } from '../scenario/types';

/**
 * The SageMaker resources besides training jobs and Studio apps that run the SSH payload: each
 * kind is the resource type inside its ARN.
 */
export const PAYLOAD_RESOURCE_KINDS = [
  'processing-job',
  'transform-job',
  'endpoint',
  'notebook-instance',
] as const;
export type PayloadResourceKind = (typeof PAYLOAD_RESOURCE_KINDS)[number];

export interface PayloadResourceRecord {
  readonly kind: PayloadResourceKind;
  readonly name: string;
  readonly arn: string;
  status: string;
  failureReason?: string;
  readonly creationTime: Date;
  startTime?: Date;
  endTime?: Date;
  lastModifiedTime: Date;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly roleArn: string;
  readonly image: string;
  readonly environment: Tags;
  /** Transform jobs: the model; endpoints: the endpoint config. */
  readonly configName: string;
}

/** Processing jobs, transform jobs, endpoints and notebook instances by kind and (case-insensitive) name. */
export class PayloadResourceStore {
  private readonly byKey = new Map<string, PayloadResourceRecord>();
  private revision = 0;

  /** Changes on every write (invalidates cached list results). */
  get version(): number {
    return this.revision;
  }

  private static key(kind: PayloadResourceKind, name: string): string {
    return `${kind}/${name.toLowerCase()}`;
  }

  add(record: PayloadResourceRecord): void {
    const key = PayloadResourceStore.key(record.kind, record.name);
    if (this.byKey.has(key)) throw new Error(`${record.kind} ${record.name} already exists`);
    this.byKey.set(key, record);
    this.revision++;
  }

  get(kind: PayloadResourceKind, name: string): PayloadResourceRecord | undefined {
    return this.byKey.get(PayloadResourceStore.key(kind, name));
  }

  all(kind: PayloadResourceKind): PayloadResourceRecord[] {
    return [...this.byKey.values()].filter((record) => record.kind === kind);
  }

  update(record: PayloadResourceRecord, change: (record: PayloadResourceRecord) => void): void {
    change(record);
    this.revision++;
  }

  /** Counts per kind and status, for the state summary. */
  summary(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const record of this.byKey.values()) {
      const key = `${record.kind}:${record.status}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }
}
