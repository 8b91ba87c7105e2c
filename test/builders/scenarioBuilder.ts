import type { ScenarioDocument } from '../emulator';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };
type Jobs = NonNullable<NonNullable<ScenarioDocument['sagemaker']>['trainingJobs']>;
type Domains = NonNullable<NonNullable<ScenarioDocument['sagemaker']>['domains']>;
type Instances = NonNullable<NonNullable<ScenarioDocument['ssm']>['instances']>;
type Activations = NonNullable<NonNullable<ScenarioDocument['ssm']>['activations']>;

export const testAccount = '111122223333';
export const testRegion = 'us-east-1';
export const me = {
  name: 'me',
  accessKeyId: 'AKIAMEEXAMPLE',
  secretAccessKey: 'me-secret',
  arn: `arn:aws:iam::${testAccount}:user/me`,
  userId: 'AIDAMEEXAMPLE',
};
export const other = {
  name: 'other',
  accessKeyId: 'AKIAOTHEREXAMPLE',
  secretAccessKey: 'other-secret',
  arn: `arn:aws:iam::${testAccount}:user/other`,
  userId: 'AIDAOTHEREXAMPLE',
};

export interface RegistrationOptions {
  readonly owner?: string;
  readonly host?: string;
  readonly computerName?: string;
  readonly pingStatus?: 'Online' | 'ConnectionLost' | 'Inactive';
  /** Seconds since the epoch. */
  readonly timestamp?: number;
}

/**
 * Builds emulator scenarios the way containers really register: an activation carrying the SSH
 * tags, and a managed instance registered with it (inheriting the tags).
 */
export class ScenarioBuilder {
  private readonly jobs: Mutable<Jobs[number]>[] = [];
  private readonly domains: Domains[number][] = [];
  private readonly instances: Mutable<Instances[number]>[] = [];
  private readonly activations: Mutable<Activations[number]>[] = [];
  private counter = 0;

  trainingJob(name: string, fields: Partial<Jobs[number]> = {}): this {
    this.jobs.push({ name, status: 'InProgress', instanceType: 'ml.g5.xlarge', instanceCount: 1, ...fields });
    return this;
  }

  domain(domain: Domains[number]): this {
    this.domains.push(domain);
    return this;
  }

  /** A container of `resourceArn` registered with SSM (tags as sm-init-ssm sets them). */
  registration(resourceName: string, resourceArn: string, options: RegistrationOptions = {}): string {
    this.counter++;
    const id = `mi-${this.counter.toString(16).padStart(17, '0')}`;
    const activationId = `00000000-0000-4000-8000-${this.counter.toString(16).padStart(12, '0')}`;
    const tags: Record<string, string> = {
      SSHOwner: options.owner ?? me.userId,
      SSHCreator: 'AROAROLE:SageMaker',
      SSHTimestamp: String(options.timestamp ?? 1_700_000_000 + this.counter),
      SSHResourceName: resourceName,
      SSHResourceArn: resourceArn,
    };
    if (options.host) {
      tags.SSHHost = options.host;
    }
    this.activations.push({
      id: activationId,
      iamRole: 'SageMakerRole',
      registrationLimit: 1,
      registrationsCount: 1,
      tags,
    });
    this.instances.push({
      id,
      activationId,
      tags,
      pingStatus: options.pingStatus ?? 'Online',
      computerName: options.computerName ?? options.host ?? 'algo-1',
      iamRole: 'SageMakerRole',
    });
    return id;
  }

  trainingRegistration(jobName: string, options: RegistrationOptions = {}): string {
    const arn = `arn:aws:sagemaker:${testRegion}:${testAccount}:training-job/${jobName.toLowerCase()}`;
    return this.registration(jobName, arn, options);
  }

  build(extra: Partial<ScenarioDocument> = {}): ScenarioDocument {
    return {
      account: testAccount,
      region: testRegion,
      identities: [me, other],
      sagemaker: { trainingJobs: this.jobs, domains: this.domains },
      ssm: { instances: this.instances, activations: this.activations },
      ...extra,
    };
  }
}
