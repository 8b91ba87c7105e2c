import * as assert from 'node:assert/strict';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  ListAppsCommand,
  SageMakerClient,
  SearchCommand,
  StopTrainingJobCommand,
} from '@aws-sdk/client-sagemaker';
import { AccessDeniedException, DescribeInstanceInformationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startEmulator, type ScenarioDocument } from '..';
import { clientsFor, expectAwsError, useEmulator, withEnv } from '../../support/emulator';

const scenario: ScenarioDocument = {
  identities: [
    {
      name: 'dev',
      accessKeyId: 'AKIADEVELOPER0000001',
      secretAccessKey: 'dev-secret',
      arn: 'arn:aws:iam::123456789012:user/dev',
      userId: 'AIDADEV0001',
    },
    {
      name: 'limited',
      accessKeyId: 'AKIALIMITED000000001',
      secretAccessKey: 'limited-secret',
      arn: 'arn:aws:iam::123456789012:user/limited',
      userId: 'AIDALIMITED',
      deny: [
        'ssm:DescribeInstanceInformation',
        'sagemaker:List*',
        { action: 'sagemaker:StopTrainingJob', resource: '*:training-job/protected-*' },
      ],
    },
    {
      name: 'old',
      accessKeyId: 'AKIAEXPIRED000000001',
      secretAccessKey: 'old-secret',
      arn: 'arn:aws:iam::123456789012:user/old',
      userId: 'AIDAOLD',
      expired: true,
    },
    {
      name: 'session',
      accessKeyId: 'ASIASESSION000000001',
      secretAccessKey: 'session-secret',
      sessionToken: 'session-token-value',
      arn: 'arn:aws:sts::123456789012:assumed-role/Dev/session',
      userId: 'AROASESSION:session',
    },
  ],
  sagemaker: {
    trainingJobs: [
      { name: 'protected-job', status: 'InProgress' },
      { name: 'open-job', status: 'InProgress' },
    ],
  },
};

describe('emulator: authentication and authorization', () => {
  const emulator = useEmulator(scenario);
  const config = (
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
    region = 'us-east-1',
  ) => ({
    endpoint: emulator().endpoint,
    region,
    credentials,
    maxAttempts: 1,
  });

  it('denies actions with AWS wording, as AccessDeniedException (SSM exports the class)', async () => {
    const { ssm } = clientsFor(emulator(), 'limited');
    const error = await expectAwsError(
      ssm.send(new DescribeInstanceInformationCommand({})),
      'AccessDeniedException',
      400,
    );
    assert.ok(error instanceof AccessDeniedException);
    assert.equal(
      error.message,
      'User: arn:aws:iam::123456789012:user/limited is not authorized to perform: ssm:DescribeInstanceInformation on resource: arn:aws:ssm:us-east-1:123456789012:* because no identity-based policy allows the ssm:DescribeInstanceInformation action',
    );
  });

  it('matches wildcard actions and resource-scoped deny rules', async () => {
    const { sagemaker } = clientsFor(emulator(), 'limited');
    await expectAwsError(sagemaker.send(new ListAppsCommand({})), 'AccessDeniedException');
    const scoped = await expectAwsError(
      sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: 'protected-job' })),
      'AccessDeniedException',
    );
    assert.match(
      scoped.message,
      /on resource: arn:aws:sagemaker:us-east-1:123456789012:training-job\/protected-job /,
    );
    await sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: 'open-job' }));
    const { sts } = clientsFor(emulator(), 'limited');
    assert.equal(
      (await sts.send(new GetCallerIdentityCommand({}))).UserId,
      'AIDALIMITED',
      'GetCallerIdentity is never denied',
    );
  });

  it('rejects expired credentials on every service', async () => {
    const { sagemaker, ssm, s3, sts } = clientsFor(emulator(), 'old');
    const json = await expectAwsError(sagemaker.send(new ListAppsCommand({})), 'ExpiredTokenException', 400);
    assert.equal(json.message, 'The security token included in the request is expired');
    await expectAwsError(ssm.send(new DescribeInstanceInformationCommand({})), 'ExpiredTokenException');
    await expectAwsError(sts.send(new GetCallerIdentityCommand({})), 'ExpiredToken', 403);
    await expectAwsError(s3.send(new ListObjectsV2Command({ Bucket: 'any-bucket' })), 'ExpiredToken', 400);
  });

  it('rejects unknown access keys and wrong secrets like AWS does', async () => {
    const unknown = { accessKeyId: 'AKIAUNKNOWN000000001', secretAccessKey: 'x' };
    const unrecognized = await expectAwsError(
      new SageMakerClient(config(unknown)).send(new ListAppsCommand({})),
      'UnrecognizedClientException',
      400,
    );
    assert.equal(unrecognized.message, 'The security token included in the request is invalid.');
    await expectAwsError(
      new STSClient(config(unknown)).send(new GetCallerIdentityCommand({})),
      'InvalidClientTokenId',
      403,
    );
    await expectAwsError(
      new S3Client(config(unknown)).send(new ListObjectsV2Command({ Bucket: 'b' })),
      'InvalidAccessKeyId',
      403,
    );
    const wrongSecret = { accessKeyId: 'AKIADEVELOPER0000001', secretAccessKey: 'not-the-secret' };
    await expectAwsError(
      new SSMClient(config(wrongSecret)).send(new DescribeInstanceInformationCommand({})),
      'InvalidSignatureException',
      400,
    );
    await expectAwsError(
      new STSClient(config(wrongSecret)).send(new GetCallerIdentityCommand({})),
      'SignatureDoesNotMatch',
      403,
    );
    await expectAwsError(
      new S3Client(config(wrongSecret)).send(new ListObjectsV2Command({ Bucket: 'b' })),
      'SignatureDoesNotMatch',
      403,
    );
  });

  it('requires the session token of temporary credentials', async () => {
    const { sts } = clientsFor(emulator(), 'session');
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, 'arn:aws:sts::123456789012:assumed-role/Dev/session');
    assert.equal(identity.UserId, 'AROASESSION:session');
    const withoutToken = { accessKeyId: 'ASIASESSION000000001', secretAccessKey: 'session-secret' };
    await expectAwsError(
      new SageMakerClient(config(withoutToken)).send(new ListAppsCommand({})),
      'UnrecognizedClientException',
    );
    await expectAwsError(
      new S3Client(config({ ...withoutToken, sessionToken: 'wrong' })).send(
        new ListObjectsV2Command({ Bucket: 'b' }),
      ),
      'InvalidToken',
      400,
    );
  });

  it('rejects requests signed for another region (except S3)', async () => {
    const dev = emulator().credentials('dev');
    const error = await expectAwsError(
      new SageMakerClient(config(dev, 'eu-west-1')).send(new ListAppsCommand({})),
      'InvalidSignatureException',
    );
    assert.match(error.message, /Credential should be scoped to a valid region/);
    await expectAwsError(
      new S3Client(config(dev, 'eu-west-1')).send(new ListObjectsV2Command({ Bucket: 'missing-bucket' })),
      'NoSuchBucket',
    );
  });

  it('accepts us-east-1 signatures for STS (the global endpoint) in other regions', async () => {
    const other = await startEmulator({ scenario: { region: 'eu-west-1' } });
    try {
      const credentials = other.credentials();
      const sts = new STSClient({
        endpoint: other.endpoint,
        region: 'us-east-1',
        credentials,
        maxAttempts: 1,
      });
      assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, '123456789012');
      const sagemaker = new SageMakerClient({
        endpoint: other.endpoint,
        region: 'us-east-1',
        credentials,
        maxAttempts: 1,
      });
      await expectAwsError(sagemaker.send(new ListAppsCommand({})), 'InvalidSignatureException');
    } finally {
      await other.close();
    }
  });

  it('works through the standard environment variables from env()', async () => {
    const env = emulator().env('session');
    assert.deepEqual(Object.keys(env).sort(), [
      'AWS_ACCESS_KEY_ID',
      'AWS_ENDPOINT_URL',
      'AWS_REGION',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
    ]);
    const identity = await withEnv(env, () =>
      new STSClient({ maxAttempts: 1 }).send(new GetCallerIdentityCommand({})),
    );
    assert.equal(identity.Account, '123456789012');
    assert.equal(identity.UserId, 'AROASESSION:session');
    const jobs = await withEnv(emulator().env(), () =>
      new SageMakerClient({ maxAttempts: 1 }).send(new SearchCommand({ Resource: 'TrainingJob' })),
    );
    assert.equal(jobs.Results!.length, 2);
    assert.equal(
      emulator().calls.filter({ service: 'sagemaker' }).at(-1)!.identity,
      'arn:aws:iam::123456789012:user/dev',
    );
    assert.throws(() => emulator().env('nobody'), /Unknown identity nobody/);
  });
});
