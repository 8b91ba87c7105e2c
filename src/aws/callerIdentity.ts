import type { AwsClientFactory } from './awsClientFactory';

/** Who the current credentials are, as STS GetCallerIdentity reports it. */
export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  /** `AIDA…` for IAM users, `AROA…:<session>` for role sessions; upstream's SSHOwner tag value. */
  readonly userId: string;
  /** `aws`, `aws-cn` or `aws-us-gov`, from the ARN. */
  readonly partition: string;
}

export function partitionOfArn(arn: string): string {
  return arn.split(':')[1] || 'aws';
}

export async function fetchCallerIdentity(clients: AwsClientFactory): Promise<CallerIdentity> {
  const sts = await clients.sts();
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const out = await sts.send(new GetCallerIdentityCommand({}));
  if (!out.Account || !out.Arn || !out.UserId) {
    throw new Error('STS GetCallerIdentity returned an incomplete identity');
  }
  return { account: out.Account, arn: out.Arn, userId: out.UserId, partition: partitionOfArn(out.Arn) };
}
