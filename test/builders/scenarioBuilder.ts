import type { IdentitySpec, ScenarioDocument } from '../emulator';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };
type Jobs = NonNullable<NonNullable<ScenarioDocument['sagemaker']>['trainingJobs']>;
type Domains = NonNullable<NonNullable<ScenarioDocument['sagemaker']>['domains']>;
type Instances = NonNullable<NonNullable<ScenarioDocument['ssm']>['instances']>;
type Activations = NonNullable<NonNullable<ScenarioDocument['ssm']>['activations']>;
type Buckets = NonNullable<NonNullable<ScenarioDocument['s3']>['buckets']>;

export const testAccount = '111122223333';
export const testRegion = 'us-east-1';
export const me = {
  name: 'me',
  accessKeyId: 'AKIAMEEXAMPLE',
  secretAccessKey: 'me-secret',
  arn: `arn:aws:iam::${testAccount}:user/me`,
  userId: 'AIDAMEEXAMPLE',
};
/** The bucket SageMaker's SDK creates for the account and region, where our keys and payload go. */
export const defaultBucket = `sagemaker-${testRegion}-${testAccount}`;
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
  /** The IPAddress the agent reports (default none). */
  readonly ipAddress?: string;
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
  private readonly buckets: Buckets[number][] = [];
  private callers: readonly IdentitySpec[] = [me, other];
  private accountId = testAccount;
  private counter = 0;

  /** The callers (default `me` and `other`); the first is the emulator's default identity. */
  identities(...identities: IdentitySpec[]): this {
    this.callers = identities;
    return this;
  }

  /** The account (default testAccount); registrations made before this keep the default in their ARNs. */
  account(accountId: string): this {
    this.accountId = accountId;
    return this;
  }

  /** An S3 bucket, by default the account's SageMaker bucket. */
  bucket(name = defaultBucket, fields: Omit<Buckets[number], 'name'> = {}): this {
    this.buckets.push({ name, ...fields });
    return this;
  }

  /** A managed instance with no activation or tags (a bare SSM target). */
  instance(id: string, pingStatus: RegistrationOptions['pingStatus'] = 'Online'): this {
    this.instances.push({ id, pingStatus });
    return this;
  }

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
      ...(options.ipAddress ? { ipAddress: options.ipAddress } : {}),
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
      account: this.accountId,
      region: testRegion,
      identities: this.callers,
      sagemaker: { trainingJobs: this.jobs, domains: this.domains },
      ssm: { instances: this.instances, activations: this.activations },
      s3: { buckets: this.buckets },
      ...extra,
    };
  }
}
