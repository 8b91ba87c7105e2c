import * as assert from 'node:assert/strict';
import { constants, createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { DescribeInstanceInformationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { stringToSign } from '../auth/sigv4';
import { rawRequest, useEmulator, type RawResponse } from '../../support/emulator';
import type { Emulator } from '..';

const ACCOUNT = '123456789012';
const DEVELOPER = {
  name: 'developer',
  accessKeyId: 'AKIAINSTANCEKEYDEV001',
  secretAccessKey: 'instance-key-developer-secret',
  arn: `arn:aws:iam::${ACCOUNT}:user/developer`,
  userId: 'AIDAINSTANCEKEYDEV001',
};
const ROLE_SESSION = {
  name: 'ssm-role',
  accessKeyId: 'ASIAINSTANCEKEYROLE01',
  secretAccessKey: 'instance-key-role-secret',
  sessionToken: 'instance-key-role-token',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ContainerSsmRole/SageMaker`,
  userId: 'AROAINSTANCEKEYROLE01:SageMaker',
  deny: ['ssm:DescribeInstanceInformation'],
};

interface Registered {
  readonly instanceId: string;
  readonly privateKey: KeyObject;
}

function newKeyPair(): { publicKey: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), privateKey };
}

/** A call signed the way amazon-ssm-agent's rsaauth signer does: SigV4 string to sign, RSA-PSS SHA-256. */
function instanceCall(
  emulator: Emulator,
  instanceId: string,
  key: KeyObject,
  operation: string,
  input: Record<string, unknown>,
): Promise<RawResponse> {
  const body = JSON.stringify(input);
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    host: `127.0.0.1:${emulator.port}`,
    'x-amz-date': amzDate,
    'x-amz-target': `AmazonSSM.${operation}`,
  };
  const signedHeaders = Object.keys(headers).sort();
  const header = {
    accessKeyId: instanceId,
    date: amzDate.slice(0, 8),
    region: emulator.state.region,
    service: 'ssm',
    signedHeaders,
    signature: '',
  };
  const toSign = stringToSign(
    {
      method: 'POST',
      rawPath: '/',
      rawQuery: '',
      rawHeaders: Object.entries(headers).flat(),
      payloadHash: createHash('sha256').update(body).digest('hex'),
    },
    header,
    true,
    amzDate,
  );
  const signature = sign('sha256', Buffer.from(toSign), {
    key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32,
  }).toString('base64');
  return rawRequest(emulator, {
    body,
    headers: {
      ...headers,
      authorization: `AWS4-HMAC-SHA256 Credential=${instanceId}/${header.date}/${header.region}/ssm/aws4_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
    },
  });
}

/** RequestManagedInstanceRoleToken as the agent sends it, signed with `key`. */
function requestRoleToken(emulator: Emulator, instanceId: string, key: KeyObject): Promise<RawResponse> {
  return instanceCall(emulator, instanceId, key, 'RequestManagedInstanceRoleToken', {
    Fingerprint: 'fingerprint-1',
  });
}

async function register(emulator: Emulator, iamRole: string): Promise<Registered> {
  const { activationId, activationCode } = emulator.createActivation({ iamRole, registrationLimit: 1 });
  const keys = newKeyPair();
  const response = await rawRequest(emulator, {
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AmazonSSM.RegisterManagedInstance',
    },
    body: JSON.stringify({
      ActivationId: activationId,
      ActivationCode: activationCode,
      PublicKey: keys.publicKey,
      PublicKeyType: 'Rsa',
      Fingerprint: 'fingerprint-1',
    }),
  });
  assert.equal(response.status, 200, response.body);
  return {
    instanceId: (JSON.parse(response.body) as { InstanceId: string }).InstanceId,
    privateKey: keys.privateKey,
  };
}

function errorType(response: RawResponse): string {
  return String(response.headers['x-amzn-errortype'] ?? '').split(':')[0]!;
}

describe('emulator: the agent credential calls signed with its registration key', () => {
  const emulator = useEmulator({ identities: [DEVELOPER, ROLE_SESSION] });

  it('answers RequestManagedInstanceRoleToken with the activation role, whose deny rules then apply', async () => {
    const { instanceId, privateKey } = await register(emulator(), 'ContainerSsmRole');
    const response = await requestRoleToken(emulator(), instanceId, privateKey);
    assert.equal(response.status, 200, response.body);
    const token = JSON.parse(response.body) as Record<string, unknown>;
    assert.equal(token.AccessKeyId, ROLE_SESSION.accessKeyId);
    assert.equal(token.SessionToken, ROLE_SESSION.sessionToken);
    assert.equal(token.UpdateKeyPair, false);
    assert.ok(Number(token.TokenExpirationDate) * 1000 > Date.now());
    const ssm = new SSMClient({
      endpoint: emulator().endpoint,
      region: emulator().state.region,
      maxAttempts: 1,
      credentials: {
        accessKeyId: String(token.AccessKeyId),
        secretAccessKey: String(token.SecretAccessKey),
        sessionToken: String(token.SessionToken),
      },
    });
    await assert.rejects(ssm.send(new DescribeInstanceInformationCommand({})), {
      name: 'AccessDeniedException',
    });
  });

  it('refuses a signature made with another key, as AWS refuses a bad signature', async () => {
    const { instanceId } = await register(emulator(), 'ContainerSsmRole');
    const response = await requestRoleToken(emulator(), instanceId, newKeyPair().privateKey);
    assert.equal(response.status, 400);
    assert.equal(errorType(response), 'InvalidSignatureException');
  });

  it('accepts the registration key for nothing but the credential calls', async () => {
    const { instanceId, privateKey } = await register(emulator(), 'ContainerSsmRole');
    const response = await instanceCall(
      emulator(),
      instanceId,
      privateKey,
      'DescribeInstanceInformation',
      {},
    );
    assert.equal(response.status, 400);
    assert.equal(errorType(response), 'UnrecognizedClientException');
  });

  it('hands out a role session of its own when no scenario identity is that role', async () => {
    const { instanceId, privateKey } = await register(emulator(), 'SomeOtherRole');
    const response = await requestRoleToken(emulator(), instanceId, privateKey);
    assert.equal(response.status, 200, response.body);
    const identity = emulator().state.identities.byAccessKeyId(String(JSON.parse(response.body).AccessKeyId));
    assert.equal(identity?.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/SomeOtherRole/ssm`);
  });

  it('rotates: after UpdateManagedInstancePublicKey only the new key is accepted', async () => {
    const { instanceId, privateKey } = await register(emulator(), 'ContainerSsmRole');
    const next = newKeyPair();
    const update = await instanceCall(emulator(), instanceId, privateKey, 'UpdateManagedInstancePublicKey', {
      NewPublicKey: next.publicKey,
      NewPublicKeyType: 'Rsa',
    });
    assert.equal(update.status, 200, update.body);
    const old = await requestRoleToken(emulator(), instanceId, privateKey);
    assert.equal(errorType(old), 'InvalidSignatureException');
    const fresh = await requestRoleToken(emulator(), instanceId, next.privateKey);
    assert.equal(fresh.status, 200, fresh.body);
  });
});
