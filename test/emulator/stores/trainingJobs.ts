import type { SecondaryStatus, Tags, TrainingJobStatus, WarmPoolStatus } from '../scenario/types';

export interface SecondaryStatusTransition {
  status: SecondaryStatus;
  startTime: Date;
  endTime?: Date;
  statusMessage?: string;
}

export interface TrainingJobRecord {
  readonly name: string;
  readonly arn: string;
  status: TrainingJobStatus;
  secondaryStatus: SecondaryStatus;
  failureReason?: string;
  readonly creationTime: Date;
  trainingStartTime?: Date;
  trainingEndTime?: Date;
  lastModifiedTime: Date;
  transitions: SecondaryStatusTransition[];
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly volumeSizeInGB: number;
  readonly roleArn: string;
  readonly trainingImage: string;
  readonly maxRuntimeInSeconds: number;
  readonly environment: Tags;
  readonly hyperParameters: Tags;
  readonly tags: Tags;
  readonly warmPoolStatus?: WarmPoolStatus;
  readonly trainingPlanArn?: string;
  readonly outputPath: string;
  /** RemoteDebugConfig.EnableRemoteDebug (undefined: the job was created without RemoteDebugConfig). */
  remoteDebugEnabled?: boolean;
  /** Set by StopTrainingJob; the job becomes Stopped once the configured delay has passed. */
  stopRequestedAt?: Date;
}

/** Training jobs by (case-insensitive) name, with a status index; `version` changes on every write. */
export class TrainingJobStore {
  private readonly byName = new Map<string, TrainingJobRecord>();
  private readonly byStatus = new Map<TrainingJobStatus, Set<TrainingJobRecord>>();
  private readonly revisions = new WeakMap<TrainingJobRecord, number>();
  private revision = 0;

  get version(): number {
    return this.revision;
  }

  get size(): number {
    return this.byName.size;
  }

  add(job: TrainingJobRecord): void {
    const key = job.name.toLowerCase();
    if (this.byName.has(key)) throw new Error(`Training job ${job.name} already exists`);
    this.byName.set(key, job);
    this.statusSet(job.status).add(job);
    this.revision++;
  }

  get(name: string): TrainingJobRecord | undefined {
    return this.byName.get(name.toLowerCase());
  }

  all(): TrainingJobRecord[] {
    return [...this.byName.values()];
  }

  withStatus(status: TrainingJobStatus): TrainingJobRecord[] {
    return [...(this.byStatus.get(status) ?? [])];
  }

  /** Applies a change to one job and keeps the indexes consistent. */
  update(job: TrainingJobRecord, change: (job: TrainingJobRecord) => void): void {
    this.byStatus.get(job.status)?.delete(job);
    change(job);
    this.statusSet(job.status).add(job);
    this.revisions.set(job, this.revisionOf(job) + 1);
    this.revision++;
  }

  /** Changes whenever this job changes (lets readers cache derived documents per job). */
  revisionOf(job: TrainingJobRecord): number {
    return this.revisions.get(job) ?? 0;
  }

  /** InProgress → Stopping; the caller has already checked the job may be stopped. */
  requestStop(job: TrainingJobRecord, now: Date): void {
    this.update(job, (record) => {
      closeOpenTransition(record, now);
      record.status = 'Stopping';
      record.secondaryStatus = 'Stopping';
      record.transitions.push({
        status: 'Stopping',
        startTime: now,
        statusMessage: 'Stopping the training job',
      });
      record.lastModifiedTime = now;
      record.stopRequestedAt = now;
    });
  }

  /** Stopping → Stopped at `at`. */
  completeStop(job: TrainingJobRecord, at: Date): void {
    this.update(job, (record) => {
      closeOpenTransition(record, at);
      record.status = 'Stopped';
      record.secondaryStatus = 'Stopped';
      record.transitions.push({
        status: 'Stopped',
        startTime: at,
        endTime: at,
        statusMessage: 'The training job was stopped',
      });
      record.trainingEndTime = at;
      record.lastModifiedTime = at;
      record.stopRequestedAt = undefined;
    });
  }

  /** Jobs whose stop was requested at or before `cutoff`. */
  stopsDueBy(cutoff: Date): TrainingJobRecord[] {
    return this.withStatus('Stopping').filter((job) => job.stopRequestedAt && job.stopRequestedAt <= cutoff);
  }

  private statusSet(status: TrainingJobStatus): Set<TrainingJobRecord> {
    let set = this.byStatus.get(status);
    if (!set) {
      set = new Set();
      this.byStatus.set(status, set);
    }
    return set;
  }
}

function closeOpenTransition(job: TrainingJobRecord, at: Date): void {
  const last = job.transitions[job.transitions.length - 1];
  if (last && !last.endTime) last.endTime = at;
}
