import { Arns } from './arns';
import { IdentityStore } from './auth/identities';
import type { Clock } from './clock';
import type { IdentitySpec } from './scenario/types';
import { ActivationStore } from './stores/activations';
import { BucketStore } from './stores/buckets';
import { ClusterStore } from './stores/clusters';
import { ManagedInstanceStore } from './stores/instances';
import { NativeTargetStore } from './stores/nativeTargets';
import { StudioStore } from './stores/studio';
import { PayloadResourceStore } from './stores/payloadResources';
import { TrainingJobStore, type TrainingJobRecord } from './stores/trainingJobs';

export interface StateOptions {
  readonly verifySignatures: boolean;
  readonly enforceRegion: boolean;
  readonly stopDelayMs: number;
}

export const DEFAULT_STATE_OPTIONS: StateOptions = {
  verifySignatures: true,
  enforceRegion: true,
  stopDelayMs: 2000,
};

export interface StateSummary {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly identities: readonly { name: string; arn: string; accessKeyId: string }[];
  readonly trainingJobs: Record<string, number>;
  readonly domains: number;
  readonly userProfiles: number;
  readonly spaces: number;
  readonly apps: Record<string, number>;
  readonly managedInstances: Record<string, number>;
  readonly activations: number;
  readonly buckets: readonly { name: string; objects: number }[];
}

/**
 * The world the emulator serves: one account in one region. Every service module reads and writes
 * these stores; cross-service effects (a stopped job's instances losing their agent) live here.
 */
export class EmulatorState {
  readonly arns: Arns;
  readonly identities: IdentityStore;
  readonly trainingJobs = new TrainingJobStore();
  readonly studio = new StudioStore();
  /** Processing and transform jobs, endpoints, notebook instances (issue 12, item 5). */
  readonly payloadResources = new PayloadResourceStore();
  readonly clusters = new ClusterStore();
  readonly instances = new ManagedInstanceStore();
  readonly activations = new ActivationStore();
  /** SageMaker's own Session Manager targets (remote debug, spaces, HyperPod nodes) → their containers. */
  readonly nativeTargets = new NativeTargetStore();
  readonly s3 = new BucketStore();

  constructor(
    readonly account: string,
    readonly region: string,
    readonly partition: string,
    readonly clock: Clock,
    identities: readonly IdentitySpec[],
    readonly options: StateOptions = DEFAULT_STATE_OPTIONS,
  ) {
    this.arns = new Arns(partition, region, account);
    this.identities = new IdentityStore(identities);
  }

  now(): Date {
    return this.clock.now();
  }

  /**
   * A managed instance registered by SageMaker's own agent (a hidden activation): it exists for the
   * service, but the customer's account neither lists it nor starts sessions on its `mi-` id.
   */
  isServiceOwnedInstance(instanceId: string): boolean {
    const activationId = this.instances.get(instanceId)?.activationId;
    return activationId !== undefined && this.activations.get(activationId)?.hidden === true;
  }

  /** Applies time-driven transitions that are due (runs before every request). */
  advance(): void {
    const now = this.now();
    const cutoff = new Date(now.getTime() - this.options.stopDelayMs);
    for (const job of this.trainingJobs.stopsDueBy(cutoff)) {
      const stoppedAt = new Date(job.stopRequestedAt!.getTime() + this.options.stopDelayMs);
      this.trainingJobs.completeStop(job, stoppedAt);
      this.disconnectInstancesOf(job);
    }
    this.advanceApps(now);
  }

  /** CreateApp's Pending → InService and DeleteApp's Deleting → Deleted, after options.stopDelayMs. */
  private advanceApps(now: Date): void {
    const { ready, gone } = this.studio.transitionsDueBy(now);
    for (const app of ready) {
      this.studio.updateApp(app, (a) => {
        a.status = 'InService';
        a.lastHealthCheckTimestamp = now;
        a.lastUserActivityTimestamp = now;
      });
    }
    for (const app of gone) {
      this.studio.updateApp(app, (a) => (a.status = 'Deleted'));
      this.studio.runtime?.appDeleted(app);
    }
  }

  /** When a job's containers go away, their SSM agents stop reporting. */
  private disconnectInstancesOf(job: TrainingJobRecord): void {
    for (const id of this.instances.idsWithTagValues('SSHResourceArn', [job.arn])) {
      this.instances.setPingStatus(id, 'ConnectionLost');
    }
  }

  summary(): StateSummary {
    return {
      account: this.account,
      region: this.region,
      partition: this.partition,
      identities: this.identities.all().map(({ name, arn, accessKeyId }) => ({ name, arn, accessKeyId })),
      trainingJobs: countBy(this.trainingJobs.all(), (job) => job.status),
      domains: this.studio.allDomains().length,
      userProfiles: this.studio.allUserProfiles().length,
      spaces: this.studio.allSpaces().length,
      apps: countBy(this.studio.allApps(), (app) => app.status),
      managedInstances: countBy(this.instances.all(), (instance) => instance.pingStatus),
      activations: this.activations.all().length,
      buckets: this.s3.all().map((bucket) => ({ name: bucket.name, objects: bucket.objects.size })),
    };
  }
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
