import * as assert from 'node:assert/strict';
import { NoCredentialsError, NoRegionError, ProfileNotFoundError } from '../../../src/aws/awsErrors';
import { resolveAwsContext } from '../../../src/aws/awsContext';
import type { AdviceSurface } from '../../../src/aws/awsContext';
import { translateAwsError } from '../../../src/aws/translateAwsError';
import { UserFacingError } from '../../../src/util/errors';
import { TrainingJobNotFoundError } from '../../../src/connect/connectErrors';
import { CloudWatchLogSource } from '../../../src/logs/cloudWatchSource';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

const emptyConfig = { configFile: {}, credentialsFile: {} };

function context(surface: AdviceSurface | undefined): ReturnType<typeof resolveAwsContext> {
  return resolveAwsContext({ profile: 'dev', surface }, {}, emptyConfig);
}

/** What sm-ssh logs and Show Logs get from CloudWatch Logs when the log group does not exist. */
async function missingLogGroup(surface: AdviceSurface | undefined): Promise<UserFacingError> {
  const notFound = Object.assign(new Error('The specified log group does not exist.'), {
    name: 'ResourceNotFoundException',
  });
  const client = { send: () => Promise.reject(notFound) } as unknown as CloudWatchLogsClient;
  const failure: unknown = await new CloudWatchLogSource(client, 'us-east-1', surface).nodesOf('job').then(
    () => assert.fail('expected the missing log group to fail'),
    (error: unknown) => error,
  );
  assert.ok(failure instanceof UserFacingError);
  return failure;
}

/** Issue 13, defect 8: the CLI's errors name its flags; VS Code's name its commands. */
describe('error advice depends on where the user chooses profile and region', () => {
  const vsCodeAdvice = /SageMaker SSH: Select|sagemakerSsh\./;

  it('the CLI gets flags and no VS Code buttons', async () => {
    const cli = context('cli');
    const errors = [
      translateAwsError(new Error('Region is missing'), cli),
      translateAwsError(
        Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        }),
        cli,
      ),
      new ProfileNotFoundError('dev', cli.profile.origin, cli.surface),
      new TrainingJobNotFoundError('job', 'us-east-1', cli.surface),
      await missingLogGroup(cli.surface),
    ];
    assert.deepEqual(
      errors.map((e) => e.code),
      ['NoRegion', 'NoCredentials', 'ProfileNotFound', 'TrainingJobNotFound', 'LogGroupNotFound'],
    );
    for (const error of errors) {
      assert.doesNotMatch(error.message, vsCodeAdvice, error.message);
      assert.deepEqual(error.actions, []);
    }
    assert.match(errors[0].message, /--region <region>/);
    assert.match(errors[1].message, /--profile <name>/);
    assert.match(errors[2].message, /\(from --profile\)/);
    assert.match(errors[3].message, /pass --region/);
    assert.match(errors[4].message, /pass --region/);
  });

  it('the extension keeps its commands, settings and buttons (the default)', async () => {
    for (const surface of ['extension', undefined] as const) {
      const ctx = context(surface);
      const noRegion = translateAwsError(new Error('Region is missing'), ctx);
      assert.ok(noRegion instanceof NoRegionError);
      assert.match(noRegion.message, /Run "SageMaker SSH: Select Region"/);
      assert.equal(noRegion.actions[0].command, 'sagemakerSsh.selectRegion');
      const noCredentials = new NoCredentialsError(ctx, undefined);
      assert.equal(noCredentials.actions[0].command, 'sagemakerSsh.selectProfile');
      assert.equal(ctx.profile.origin, 'sagemakerSsh.profile');
      assert.match((await missingLogGroup(surface)).message, /SageMaker SSH: Select AWS Region/);
    }
  });
});
