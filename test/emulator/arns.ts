/** Builds ARNs the way the real services format them, for one partition/region/account. */
export class Arns {
  constructor(
    readonly partition: string,
    readonly region: string,
    readonly account: string,
  ) {}

  /** SageMaker lowercases the job name inside the ARN; the TrainingJobName keeps its case. */
  trainingJob(name: string): string {
    return this.sagemaker(`training-job/${name.toLowerCase()}`);
  }

  domain(domainId: string): string {
    return this.sagemaker(`domain/${domainId}`);
  }

  userProfile(domainId: string, name: string): string {
    return this.sagemaker(`user-profile/${domainId}/${name}`);
  }

  space(domainId: string, name: string): string {
    return this.sagemaker(`space/${domainId}/${name}`);
  }

  /** `app/<domain>/<user-profile-or-space>/<app type, lowercase>/<app name>` */
  app(domainId: string, owner: string, appType: string, appName: string): string {
    return this.sagemaker(`app/${domainId}/${owner}/${appType.toLowerCase()}/${appName}`);
  }

  /** `processing-job/<name>`, `transform-job/…`, `endpoint/…`, `notebook-instance/…`: lowercase, as training jobs. */
  payloadResource(arnType: string, name: string): string {
    return this.sagemaker(`${arnType}/${name.toLowerCase()}`);
  }

  /** HyperPod clusters: `cluster/<id>`, the id being 12 lowercase letters and digits. */
  cluster(clusterId: string): string {
    return this.sagemaker(`cluster/${clusterId}`);
  }

  managedInstance(instanceId: string): string {
    return `arn:${this.partition}:ssm:${this.region}:${this.account}:managed-instance/${instanceId}`;
  }

  role(name: string): string {
    return `arn:${this.partition}:iam::${this.account}:role/${name}`;
  }

  s3(bucket: string, key?: string): string {
    return `arn:${this.partition}:s3:::${bucket}${key === undefined ? '' : '/' + key}`;
  }

  /** The resource AWS names in AccessDenied messages for actions that are not resource-scoped. */
  anyResource(service: string): string {
    return `arn:${this.partition}:${service}:${this.region}:${this.account}:*`;
  }

  private sagemaker(resource: string): string {
    return `arn:${this.partition}:sagemaker:${this.region}:${this.account}:${resource}`;
  }
}
