/** The AWS services the product talks to, with the identifiers the endpoint settings use for them. */
export type AwsServiceName = 'sagemaker' | 'ssm' | 's3' | 'sts' | 'logs';

export interface AwsServiceInfo {
  readonly name: AwsServiceName;
  /** The SDK's serviceId; `AWS_ENDPOINT_URL_<ID upper-cased, spaces to _>` configures it. */
  readonly serviceId: string;
  /** The IAM action prefix, for "not authorized to perform sagemaker:ListTrainingJobs". */
  readonly iamPrefix: string;
}

export const awsServices: Readonly<Record<AwsServiceName, AwsServiceInfo>> = {
  sagemaker: { name: 'sagemaker', serviceId: 'SageMaker', iamPrefix: 'sagemaker' },
  ssm: { name: 'ssm', serviceId: 'SSM', iamPrefix: 'ssm' },
  s3: { name: 's3', serviceId: 'S3', iamPrefix: 's3' },
  sts: { name: 'sts', serviceId: 'STS', iamPrefix: 'sts' },
  logs: { name: 'logs', serviceId: 'CloudWatch Logs', iamPrefix: 'logs' },
};
