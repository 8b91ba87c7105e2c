import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Emulator, IdentitySpec } from '../../emulator';
import { useEmulator } from '../../support/emulator';
import { useTempDir } from '../../support/tempDir';
import { PACKAGE_DIR, cleanEnv, run } from './support';
import { ScenarioBuilder } from '../../builders/scenarioBuilder';

const ROLE: IdentitySpec = {
  name: 'execution-role',
  accessKeyId: 'ASIAPAYLOADEXEC0001',
  secretAccessKey: 'payload-exec-secret',
  sessionToken: 'payload-exec-session-token',
  arn: 'arn:aws:sts::123456789012:assumed-role/SageMakerExecutionRole/SageMaker',
  userId: 'AROAPAYLOADEXEC0001:SageMaker',
};
const DENIED: IdentitySpec = {
  name: 'denied',
  accessKeyId: 'AKIAPAYLOADDENIED01',
  secretAccessKey: 'payload-denied-secret',
  arn: 'arn:aws:iam::123456789012:user/denied',
  userId: 'AIDAPAYLOADDENIED01',
  deny: ['ssm:CreateActivation'],
};
const EXPIRED: IdentitySpec = {
  ...DENIED,
  name: 'expired',
  accessKeyId: 'AKIAPAYLOADEXPIRED1',
  userId: 'AIDAX',
  deny: [],
  expired: true,
};

const OBJECT = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
const SCENARIO = new ScenarioBuilder()
  .account('123456789012')
  .identities(ROLE, DENIED, EXPIRED)
  .bucket('payload-bucket', {
    objects: [{ key: 'dir/a file+v1.bin', bodyBase64: OBJECT.toString('base64') }],
  })
  .domain({
    id: 'd-payloadtest1',
    name: 'payload',
    executionRole: 'arn:aws:iam::123456789012:role/service-role/StudioRole',
    userProfiles: [{ name: 'alice', executionRole: 'arn:aws:iam::123456789012:role/AliceRole' }],
  })
  .build();

function hasBoto3(): Promise<boolean> {
  return run('python3', ['-c', 'import boto3']).then((r) => r.code === 0);
}

/** A container credentials endpoint (as ECS/SageMaker serve it) handing out the role's keys. */
async function credentialsServer(token: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    if (request.headers.authorization !== token) {
      response.writeHead(401).end('{"message":"bad token"}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        AccessKeyId: ROLE.accessKeyId,
        SecretAccessKey: ROLE.secretAccessKey,
        Token: ROLE.sessionToken,
        Expiration: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/creds` };
}

describe('payload: sm-aws-call and _sm_aws (AWS calls from containers without the AWS CLI)', function () {
  this.timeout(60_000);
  const emulator = useEmulator(SCENARIO);
  const tmp = useTempDir();
  let backends: string[] = [];

  before(async () => {
    backends = ['stdlib', ...((await hasBoto3()) ? ['boto3'] : [])];
  });

  function envFor(e: Emulator, identity = 'execution-role', extra: Record<string, string> = {}) {
    return cleanEnv({ ...e.env(identity), ...extra });
  }

  function call(backend: string, env: NodeJS.ProcessEnv, args: string[]) {
    return run(
      'python3',
      [path.join(PACKAGE_DIR, 'sm-aws-call'), '--backend', backend, '--region', 'us-east-1', ...args],
      { env },
    );
  }

  it('signs STS, SSM and SageMaker calls that the emulator verifies (stdlib SigV4, and boto3)', async () => {
    for (const backend of backends) {
      const env = envFor(emulator());
      const who = await call(backend, env, ['--fields', 'UserId,Arn', 'sts', 'GetCallerIdentity']);
      assert.equal(who.stdout, `${ROLE.userId}\t${ROLE.arn}\n`, `${backend}: ${who.stderr}`);
      const domain = await call(backend, env, [
        '--fields',
        'DefaultUserSettings.ExecutionRole',
        'sagemaker',
        'DescribeDomain',
        '{"DomainId":"d-payloadtest1"}',
      ]);
      assert.equal(
        domain.stdout,
        'arn:aws:iam::123456789012:role/service-role/StudioRole\n',
        `${backend}: ${domain.stderr}`,
      );
      const params = {
        Description: 'test',
        IamRole: 'SageMakerExecutionRole',
        RegistrationLimit: 1,
        Tags: [
          { Key: 'SSHOwner', Value: `AROA:o'brien "q" ${backend}` },
          { Key: 'SSHResourceName', Value: 'ünï' },
        ],
      };
      const created = await call(backend, env, [
        '--fields',
        'ActivationId,ActivationCode',
        'ssm',
        'CreateActivation',
        JSON.stringify(params),
      ]);
      const [id, code] = created.stdout.trim().split('\t');
      assert.match(id!, /^[0-9a-f-]{36}$/, created.stderr);
      const activation = emulator().state.activations.get(id!)!;
      assert.equal(activation.code, code);
      assert.equal(activation.registrationLimit, 1);
      assert.deepEqual(Object.fromEntries(activation.tags), {
        SSHOwner: `AROA:o'brien "q" ${backend}`,
        SSHResourceName: 'ünï',
      });
    }
  });

  it('downloads an S3 object to a file (s3 GetObject, for the Studio lifecycle configuration)', async () => {
    for (const backend of backends) {
      const output = path.join(tmp(), `object-${backend}`);
      const params = JSON.stringify({ Bucket: 'payload-bucket', Key: 'dir/a file+v1.bin' });
      const got = await call(backend, envFor(emulator()), ['--output', output, 's3', 'GetObject', params]);
      assert.equal(got.code, 0, `${backend}: ${got.stderr}`);
      assert.deepEqual(await readFile(output), OBJECT);
      const missing = await call(backend, envFor(emulator()), [
        '--output',
        output,
        's3',
        'GetObject',
        JSON.stringify({ Bucket: 'payload-bucket', Key: 'nope' }),
      ]);
      assert.equal(missing.code, 254);
      assert.match(
        missing.stderr,
        /^An error occurred \((NoSuchKey|404)\) when calling the GetObject operation/,
        backend,
      );
    }
  });

  it('gets role credentials from the container credentials endpoint (FULL_URI with a token or token file)', async () => {
    const token = 'secret-container-token';
    const { server, url } = await credentialsServer(token);
    try {
      const base = cleanEnv({
        AWS_ENDPOINT_URL: emulator().endpoint,
        AWS_REGION: 'us-east-1',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: url,
      });
      for (const backend of backends) {
        const withToken = await call(backend, { ...base, AWS_CONTAINER_AUTHORIZATION_TOKEN: token }, [
          '--fields',
          'UserId',
          'sts',
          'GetCallerIdentity',
        ]);
        assert.equal(withToken.stdout.trim(), ROLE.userId, `${backend}: ${withToken.stderr}`);
      }
      const tokenFile = path.join(tmp(), 'token');
      await writeFile(tokenFile, `${token}\n`);
      const fromFile = await call('stdlib', { ...base, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile }, [
        '--fields',
        'UserId',
        'sts',
        'GetCallerIdentity',
      ]);
      assert.equal(fromFile.stdout.trim(), ROLE.userId, fromFile.stderr);
      const wrong = await call('stdlib', { ...base, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'wrong' }, [
        'sts',
        'GetCallerIdentity',
      ]);
      assert.equal(wrong.code, 255);
      assert.match(wrong.stderr, /could not get credentials from the container credentials endpoint/);
      const none = await call('stdlib', cleanEnv({ AWS_ENDPOINT_URL: emulator().endpoint }), [
        'sts',
        'GetCallerIdentity',
      ]);
      assert.equal(none.code, 255);
      assert.match(
        none.stderr,
        /Unable to locate credentials: set AWS_ACCESS_KEY_ID.*AWS_CONTAINER_CREDENTIALS_FULL_URI/,
      );
    } finally {
      server.close();
    }
  });

  it("reports errors in the AWS CLI's words, whatever the backend (AccessDenied, throttling, expired, no endpoint)", async () => {
    const activation = JSON.stringify({ IamRole: 'SageMakerExecutionRole' });
    for (const backend of backends) {
      const denied = await call(backend, envFor(emulator(), 'denied'), [
        'ssm',
        'CreateActivation',
        activation,
      ]);
      assert.equal(denied.code, 254);
      assert.match(
        denied.stderr,
        /^An error occurred \(AccessDeniedException\) when calling the CreateActivation operation: User: arn:aws:iam::123456789012:user\/denied is not authorized to perform: ssm:CreateActivation/,
      );
      const [rule] = emulator().faults.add({
        service: 'ssm',
        operation: 'CreateActivation',
        error: { code: 'ThrottlingException', message: 'Rate exceeded' },
      });
      try {
        const throttled = await call(backend, envFor(emulator()), ['ssm', 'CreateActivation', activation]);
        assert.equal(
          throttled.stderr.trim(),
          'An error occurred (ThrottlingException) when calling the CreateActivation operation: Rate exceeded',
        );
        assert.equal(
          emulator()
            .faults.list()
            .find((f) => f.id === rule)?.matched,
          1,
          'one attempt only: callers retry with backoff themselves',
        );
      } finally {
        emulator().faults.remove(rule!);
      }
      const expired = await call(backend, envFor(emulator(), 'expired'), ['sts', 'GetCallerIdentity']);
      assert.match(
        expired.stderr,
        /^An error occurred \(ExpiredToken\) when calling the GetCallerIdentity operation/,
      );
      const nowhere = await call(backend, { ...envFor(emulator()), AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }, [
        'sts',
        'GetCallerIdentity',
      ]);
      assert.equal(nowhere.code, 255);
      assert.match(nowhere.stderr, /Could not connect to the endpoint URL: "http:\/\/127\.0\.0\.1:9\/?"/);
    }
  });

  it('_sm_aws gives the same answer through the AWS CLI, boto3 and the standard library', async () => {
    const backendsHere = [
      ...backends,
      ...((await run('bash', ['-c', 'command -v aws'])).code === 0 ? ['cli'] : []),
    ];
    const script = `. ${JSON.stringify(path.join(PACKAGE_DIR, 'sm-helper-functions'))}; _sm_aws sts GetCallerIdentity '{}' UserId,Account && _sm_aws sagemaker DescribeUserProfile '{"DomainId":"d-payloadtest1","UserProfileName":"alice"}' UserSettings.ExecutionRole`;
    for (const backend of backendsHere) {
      const result = await run('bash', ['-c', script], {
        env: envFor(emulator(), 'execution-role', { SM_SSH_AWS_BACKEND: backend }),
      });
      assert.equal(
        result.stdout,
        `${ROLE.userId}\t123456789012\narn:aws:iam::123456789012:role/AliceRole\n`,
        `${backend}: ${result.stderr}`,
      );
      const failed = await run(
        'bash',
        [
          '-c',
          `. ${JSON.stringify(path.join(PACKAGE_DIR, 'sm-helper-functions'))}; _sm_aws ssm CreateActivation '{"IamRole":"R"}' ActivationId`,
        ],
        {
          env: envFor(emulator(), 'denied', { SM_SSH_AWS_BACKEND: backend }),
        },
      );
      assert.notEqual(failed.code, 0);
      assert.match(
        failed.stderr,
        /An error occurred \(AccessDeniedException\) when calling the CreateActivation operation/,
        backend,
      );
    }
  });

  it('honours per-service endpoints (AWS_ENDPOINT_URL_STS, _SSM, _SAGEMAKER) over AWS_ENDPOINT_URL', async () => {
    const endpoint = emulator().endpoint;
    const env = {
      ...envFor(emulator()),
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_STS: endpoint,
      AWS_ENDPOINT_URL_SSM: endpoint,
      AWS_ENDPOINT_URL_SAGEMAKER: endpoint,
    };
    for (const backend of backends) {
      assert.equal(
        (await call(backend, env, ['--fields', 'UserId', 'sts', 'GetCallerIdentity'])).stdout.trim(),
        ROLE.userId,
        backend,
      );
      const domain = await call(backend, env, [
        '--fields',
        'DomainId',
        'sagemaker',
        'DescribeDomain',
        '{"DomainId":"d-payloadtest1"}',
      ]);
      assert.equal(domain.stdout.trim(), 'd-payloadtest1', `${backend}: ${domain.stderr}`);
      const ssm = await call(backend, env, [
        '--fields',
        'ActivationId',
        'ssm',
        'CreateActivation',
        '{"IamRole":"R"}',
      ]);
      assert.match(ssm.stdout, /^[0-9a-f-]{36}\n$/, `${backend}: ${ssm.stderr}`);
    }
    const unreachable = await call('stdlib', { ...env, AWS_ENDPOINT_URL_STS: '' }, [
      'sts',
      'GetCallerIdentity',
    ]);
    assert.match(unreachable.stderr, /Could not connect to the endpoint URL: "http:\/\/127\.0\.0\.1:9\//);
  });

  it('_sm_region: AWS_REGION, then AWS_DEFAULT_REGION, else a clear failure', async () => {
    const helpers = JSON.stringify(path.join(PACKAGE_DIR, 'sm-helper-functions'));
    const region = (env: Record<string, string>) =>
      run('bash', ['-c', `. ${helpers}; _sm_region`], { env: cleanEnv({ PATH: '/usr/bin:/bin', ...env }) });
    assert.equal(
      (await region({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-west-2' })).stdout,
      'eu-west-1\n',
    );
    assert.equal((await region({ AWS_DEFAULT_REGION: 'us-west-2' })).stdout, 'us-west-2\n');
    const none = await region({});
    assert.equal(none.code, 1);
    assert.match(none.stderr, /\[sagemaker-ssh\] ERROR: no AWS region: set AWS_REGION/);
  });
});
