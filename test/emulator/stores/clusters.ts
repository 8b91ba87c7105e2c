import type { ClusterInstanceStatus, ClusterStatus, InstanceGroupStatus } from '../scenario/types';

/** A node (EC2 instance) of a HyperPod cluster's instance group. */
export interface ClusterNodeRecord {
  readonly instanceId: string;
  readonly instanceGroupName: string;
  readonly instanceType: string;
  readonly launchTime: Date;
  status: ClusterInstanceStatus;
  message?: string;
  readonly privateIp: string;
  /** Whether a simulated container serves this node as a `sagemaker-cluster:` SSM target. */
  readonly container: boolean;
}

export interface InstanceGroupRecord {
  readonly name: string;
  readonly instanceType: string;
  readonly executionRole: string;
  readonly status: InstanceGroupStatus;
  readonly targetCount: number;
  readonly lifeCycleConfig: { readonly sourceS3Uri: string; readonly onCreate: string };
}

export interface ClusterRecord {
  readonly name: string;
  /** The last segment of the ARN: 12 lowercase letters and digits. */
  readonly id: string;
  readonly arn: string;
  status: ClusterStatus;
  readonly creationTime: Date;
  readonly failureMessage?: string;
  readonly orchestrator: 'Slurm' | 'Eks';
  readonly instanceGroups: readonly InstanceGroupRecord[];
  readonly nodes: ClusterNodeRecord[];
}

/** HyperPod clusters; `version` changes on every write. */
export class ClusterStore {
  private readonly byName = new Map<string, ClusterRecord>();
  private revision = 0;

  get version(): number {
    return this.revision;
  }

  add(cluster: ClusterRecord): void {
    this.byName.set(cluster.name, cluster);
    this.revision++;
  }

  all(): ClusterRecord[] {
    return [...this.byName.values()];
  }

  /** By name or ARN, as DescribeCluster's ClusterName takes either. */
  find(nameOrArn: string): ClusterRecord | undefined {
    return this.byName.get(nameOrArn) ?? this.all().find((cluster) => cluster.arn === nameOrArn);
  }

  /** By the id in a `sagemaker-cluster:<id>_<group>-<instance>` target. */
  byId(id: string): ClusterRecord | undefined {
    return this.all().find((cluster) => cluster.id === id);
  }
}
