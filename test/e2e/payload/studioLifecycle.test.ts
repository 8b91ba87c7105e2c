import * as assert from 'node:assert/strict';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lifecycleConfigScript, readLifecycleConfigSources } from '../../../src/payload/lifecycleConfig';
import { payloadArchive } from '../../../src/payload/payloadArchive';
import { publishPayload, type PublishedPayload } from '../../../src/payload/publishPayload';
import type { SimulatedContainer } from '../../emulator/containers/container';
import { SAGEMAKER_USER } from '../../emulator/containers/sagemakerEnvironment';
import { clientsFor, useEmulator } from '../../support/emulator';
import { ACCOUNT, payloadScenario, EXECUTION_ROLE, baseEnv, json, tagsOf } from './support/payloadWorld';

const BUCKET = `sagemaker-us-east-1-${ACCOUNT}`;
const DOMAIN = 'd-payloadlcc0001';
const APP_ARN = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:app/${DOMAIN}/lcc-space/jupyterlab/default`;
const LCC_OWNER = 'AROAPAYLOADLCC00001:dev@example.com';

/**
 * The lifecycle configuration "Copy Studio Lifecycle Configuration" produces, run in a simulated
 * JupyterLab space: it fetches the payload from S3 (no AWS CLI and no boto3 in this image: the
 * embedded sm-aws-call does it), checks its hash, and brings SSH up in the background.
 */
describe('payload e2e: the Studio lifecycle configuration', function () {
  this.timeout(120_000);
  const emulator = useEmulator(payloadScenario().bucket(BUCKET).build());
  let published: PublishedPayload;
  let script: string;

  before(async () => {
    published = await publishPayload(clientsFor(emulator(), 'developer').s3, BUCKET, await payloadArchive());
    const sources = await readLifecycleConfigSources();
    script = lifecycleConfigScript(sources.template, {
      ownerUserId: LCC_OWNER,
      payloadS3Uri: published.uri,
      payloadSha256: published.sha256,
      payloadRegion: 'us-east-1',
      awsCall: sources.awsCall,
    });
  });

  let count = 0;
  async function space(): Promise<SimulatedContainer> {
    const container = await emulator().containers.start({
      id: `payload-lcc-${++count}`,
      hostname: 'default',
      users: [SAGEMAKER_USER],
      env: baseEnv({
        SSH_SSM_ROLE: '',
        SSH_OWNER_TAG: '',
        HOME: SAGEMAKER_USER.home,
        SM_SSH_LCC_WAIT_SECONDS: '60',
      }),
      files: {
        '/opt/ml/metadata/resource-metadata.json': json({
          AppType: 'JupyterLab',
          DomainId: DOMAIN,
          SpaceName: 'lcc-space',
          ResourceArn: APP_ARN,
          ResourceName: 'default',
          ExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/SageMakerExecutionRole`,
        }),
        '/tmp/lifecycle-config.sh': { content: script, mode: 0o755 },
      },
      roleIdentity: EXECUTION_ROLE.name,
    });
    const noCli = await container.exec('command -v aws || python3 -c "import boto3"');
    assert.notEqual(noCli.code, 0, 'this image has neither the AWS CLI nor boto3');
    return container;
  }

  it('fetches and checks the payload, and the space registers with its owner and runs the agent', async () => {
    const container = await space();
    const connected = emulator().containers.agentConnected(container.id, 90_000);
    const result = await container.exec('bash /tmp/lifecycle-config.sh', { timeoutMs: 90_000 });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      /set-local-user-id: saved 'AROAPAYLOADLCC00001:dev@example\.com' in \/home\/sagemaker-user\/\.sm-ssh-owner/,
    );
    assert.match(result.stdout, /start-ssh: amazon-ssm-agent started \(pid \d+\)/);
    assert.match(result.stdout, /setup goes on in the background; log: \/tmp\/sagemaker-ssh-ide\.log/);
    const instanceId = await connected;
    const { SSHTimestamp: _, ...tags } = await tagsOf(clientsFor(emulator(), 'developer').ssm, instanceId);
    assert.deepEqual(tags, {
      SSHOwner: LCC_OWNER,
      SSHCreator: EXECUTION_ROLE.userId,
      SSHResourceName: 'default',
      SSHResourceArn: APP_ARN,
      SSHHost: 'default',
    });
    const status = await container.exec('sm-ssh-ide status');
    assert.match(status.stdout, /^sshd: running/m);
  });

  it('refuses a payload that is not the one it was made for', async () => {
    await clientsFor(emulator(), 'developer').s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: published.key, Body: Buffer.from('tampered') }),
    );
    const container = await space();
    const result = await container.exec('bash /tmp/lifecycle-config.sh', { timeoutMs: 60_000 });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /ERROR: s3:\/\/.* is not the payload this configuration was made for \(SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}\): create the configuration again/,
    );
    const installed = await container.exec('test -e /usr/local/bin/sm-ssh-ide');
    assert.notEqual(installed.code, 0, 'nothing was installed');
  });
});
