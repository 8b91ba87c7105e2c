import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { AwsAccess } from '../../../src/aws/awsAccess';
import {
  AccessDeniedError,
  CredentialsExpiredError,
  EndpointUnreachableError,
  NoCredentialsError,
  NoRegionError,
  ProfileNotFoundError,
  SsoLoginRequiredError,
  ThrottledError,
} from '../../../src/aws/awsErrors';
import { MemoryLogger } from '../../../src/util/logger';
import { connect, useAwsEnvironment } from '../../builders/awsEnvironment';
import { ScenarioBuilder, me, other, testAccount } from '../../builders/scenarioBuilder';
import { useEmulator } from '../../support/emulator';

const denied = { ...other, name: 'denied', accessKeyId: 'AKIADENIED', deny: ['sagemaker:Search'] };
const expired = { ...other, name: 'expired', accessKeyId: 'AKIAEXPIRED', expired: true };

async function translated(promise: Promise<unknown>, translate: (e: unknown) => Error): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return translate(error);
  }
  assert.fail('expected the call to fail');
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('AWS access against the emulator', () => {
  const emulator = useEmulator(
    new ScenarioBuilder().trainingJob('job-a').identities(me, other, denied, expired).build(),
  );

  describe('with environment credentials', () => {
    useAwsEnvironment(() => emulator().env('me'));

    it('reaches the emulator through AWS_ENDPOINT_URL and caches the caller identity', async () => {
      const logger = new MemoryLogger();
      const access = new AwsAccess({ logger });
      const connection = await access.connect({});
      emulator().calls.clear();
      const identity = await connection.identity();
      await (await access.connect({})).identity();
      assert.deepEqual(identity, { account: testAccount, arn: me.arn, userId: me.userId, partition: 'aws' });
      assert.equal(emulator().calls.count({ operation: 'GetCallerIdentity' }), 1);
      assert.match(logger.text(), /\[debug\] sts\.GetCallerIdentity us-east-1 \d+ms requestId=\S+/);
      assert.doesNotMatch(logger.text(), new RegExp(me.secretAccessKey));
    });

    it('names the IAM action on AccessDenied', async () => {
      Object.assign(process.env, emulator().env('denied'));
      const connection = await connect();
      const sagemaker = await connection.clients.sagemaker();
      const { SearchCommand } = await import('@aws-sdk/client-sagemaker');
      const error = await translated(
        sagemaker.send(new SearchCommand({ Resource: 'TrainingJob' })),
        connection.translate,
      );
      assert.ok(error instanceof AccessDeniedError);
      assert.equal(error.action, 'sagemaker:Search');
      assert.match(error.message, /not allowed to call sagemaker:Search/);
    });

    it('explains expired credentials', async () => {
      Object.assign(process.env, emulator().env('expired'));
      const connection = await connect();
      const error = await translated(connection.identity(), connection.translate);
      assert.ok(error instanceof CredentialsExpiredError, error.message);
    });

    it('explains throttling after the SDK retried', async () => {
      emulator().faults.add({
        service: 'sts',
        operation: 'GetCallerIdentity',
        error: { code: 'Throttling', message: 'Rate exceeded', status: 400 },
      });
      try {
        const connection = await new AwsAccess({
          logger: new MemoryLogger(),
          clientOptions: { maxAttempts: 2 },
        }).connect({});
        const error = await translated(connection.identity(), connection.translate);
        assert.ok(error instanceof ThrottledError, error.message);
        assert.match(
          error.message,
          /throttling sts:GetCallerIdentity \(still rate-limited after 2 attempts\)/,
        );
      } finally {
        emulator().faults.clear();
      }
    });

    it('names the endpoint and where it came from when it is unreachable', async () => {
      process.env.AWS_ENDPOINT_URL_STS = `http://127.0.0.1:${await closedPort()}`;
      try {
        const connection = await connect();
        const error = await translated(connection.identity(), connection.translate);
        assert.ok(error instanceof EndpointUnreachableError, error.message);
        assert.match(error.message, /from AWS_ENDPOINT_URL_STS/);
        assert.match(error.message, /ECONNREFUSED/);
      } finally {
        delete process.env.AWS_ENDPOINT_URL_STS;
      }
    });
  });

  describe('with shared config profiles', () => {
    const env = useAwsEnvironment(() => ({}));

    function writeConfig(config: string, credentials = ''): void {
      writeFileSync(join(env.dir(), 'config'), config);
      writeFileSync(join(env.dir(), 'credentials'), credentials);
    }

    it('uses the endpoint_url and region of the profile chosen in settings', async () => {
      writeConfig(
        `[profile emu]\nregion = us-east-1\nendpoint_url = ${emulator().endpoint}\n`,
        `[emu]\naws_access_key_id = ${me.accessKeyId}\naws_secret_access_key = ${me.secretAccessKey}\n`,
      );
      const connection = await connect({ profile: 'emu' });
      assert.equal(connection.context.endpoints.sts.origin, '[profile emu] endpoint_url');
      assert.equal((await connection.identity()).arn, me.arn);
    });

    it('runs credential_process profiles', async () => {
      const script = join(env.dir(), 'creds.js');
      writeFileSync(
        script,
        `console.log(JSON.stringify({Version:1,AccessKeyId:${JSON.stringify(other.accessKeyId)},SecretAccessKey:${JSON.stringify(other.secretAccessKey)}}))`,
      );
      writeConfig(
        `[profile proc]\nregion = us-east-1\nendpoint_url = ${emulator().endpoint}\ncredential_process = ${process.execPath} ${script}\n`,
      );
      const connection = await connect({ profile: 'proc' });
      assert.equal((await connection.identity()).userId, other.userId);
    });

    it('says to run aws sso login when the SSO session is missing or expired', async () => {
      writeConfig(
        `[profile corp]\nsso_session = corp\nsso_account_id = ${testAccount}\nsso_role_name = ML\nregion = us-east-1\n` +
          `[sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://example.awsapps.com/start\n`,
      );
      const connection = await connect({ profile: 'corp' });
      const error = await translated(connection.identity(), connection.translate);
      assert.ok(error instanceof SsoLoginRequiredError, `${error.name}: ${error.message}`);
      assert.match(error.message, /aws sso login --profile corp/);
    });

    it('refuses a profile that exists in neither file', async () => {
      writeConfig('[profile a]\nregion = us-east-1\n');
      await assert.rejects(
        connect({ profile: 'ghost' }),
        (e: unknown) => e instanceof ProfileNotFoundError && /"ghost"/.test(e.message),
      );
    });

    it('reports a missing region before calling AWS', async () => {
      writeConfig('', `[default]\naws_access_key_id = ${me.accessKeyId}\naws_secret_access_key = x\n`);
      const connection = await connect();
      await assert.rejects(connection.clients.sts(), NoRegionError);
    });

    it('reports missing credentials with the profile to fix', async () => {
      writeConfig('[profile empty]\nregion = us-east-1\n');
      const connection = await connect({ profile: 'empty' });
      const error = await translated(connection.identity(), connection.translate);
      assert.ok(error instanceof NoCredentialsError, `${error.name}: ${error.message}`);
      assert.match(error.message, /aws configure --profile empty/);
    });
  });
});
