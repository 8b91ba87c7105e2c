import * as assert from 'node:assert/strict';
import {
  CreateActivationCommand,
  DeregisterManagedInstanceCommand,
  DescribeActivationsCommand,
  DescribeInstanceInformationCommand,
  InvalidInstanceId,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-ssm';
import { startEmulator } from '..';
import { clientsFor, expectAwsError, jsonCall, useEmulator } from '../../support/emulator';

const SSH_TAGS = [
  { Key: 'SSHOwner', Value: 'AIDAEMULATORDEVELOPER0' },
  { Key: 'SSHResourceName', Value: 'job-x' },
  { Key: 'SSHResourceArn', Value: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/job-x' },
];

describe('emulator: SSM activations and agent registration', () => {
  const emulator = useEmulator({
    ssm: {
      activations: [
        {
          id: 'aaaaaaaa-0000-4000-8000-000000000001',
          code: 'expired-activation-code-0001',
          iamRole: 'Role',
          createdDate: '-2d',
          expirationDate: '-1d',
        },
      ],
    },
  });
  const ssm = () => clientsFor(emulator()).ssm;

  async function describeInstance(id: string) {
    const result = await ssm().send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [id] }] }),
    );
    return result.InstanceInformationList![0]!;
  }

  it('creates activations and describes them with filters', async () => {
    const created = await ssm().send(
      new CreateActivationCommand({
        IamRole: 'SageMakerExecutionRole',
        RegistrationLimit: 2,
        Description: 'Activation for Amazon SageMaker integration with SSH and IDEs',
        DefaultInstanceName: 'ssh-node',
        Tags: SSH_TAGS,
      }),
    );
    assert.match(created.ActivationId!, /^[0-9a-f-]{36}$/);
    assert.equal(created.ActivationCode!.length, 20);
    const described = await ssm().send(
      new DescribeActivationsCommand({
        Filters: [{ FilterKey: 'ActivationIds', FilterValues: [created.ActivationId!] }],
      }),
    );
    const [activation] = described.ActivationList!;
    assert.equal(activation!.IamRole, 'SageMakerExecutionRole');
    assert.equal(activation!.RegistrationLimit, 2);
    assert.equal(activation!.RegistrationsCount, 0);
    assert.equal(activation!.Expired, false);
    assert.deepEqual(activation!.Tags, SSH_TAGS);
    assert.ok(
      activation!.ExpirationDate!.getTime() - activation!.CreatedDate!.getTime() === 86_400_000,
      'expires after 24 h by default',
    );
    const byRole = await ssm().send(
      new DescribeActivationsCommand({ Filters: [{ FilterKey: 'IamRole', FilterValues: ['Role'] }] }),
    );
    assert.deepEqual(
      byRole.ActivationList!.map((entry) => entry.Expired),
      [true],
    );
    await expectAwsError(
      ssm().send(new CreateActivationCommand({ IamRole: 'R', ExpirationDate: new Date(Date.now() - 1000) })),
      'ValidationException',
    );
    await expectAwsError(
      ssm().send(new CreateActivationCommand({ IamRole: 'R', RegistrationLimit: 0 })),
      'ValidationException',
    );
  });

  it('registers an agent with RegisterManagedInstance (unsigned, as the agent calls it), applying the activation tags', async () => {
    const created = await ssm().send(
      new CreateActivationCommand({
        IamRole: 'SageMakerExecutionRole',
        RegistrationLimit: 1,
        DefaultInstanceName: 'node',
        Tags: SSH_TAGS,
      }),
    );
    const response = await jsonCall(
      emulator(),
      'AmazonSSM.RegisterManagedInstance',
      {
        ActivationCode: created.ActivationCode,
        ActivationId: created.ActivationId,
        PublicKey: 'MIIBIjANBgkqh',
        PublicKeyType: 'Rsa',
        Fingerprint: 'fingerprint-1',
      },
      { signed: false },
    );
    assert.equal(response.status, 200, response.body);
    assert.ok(response.headers['x-amzn-requestid']);
    const instanceId = (JSON.parse(response.body) as { InstanceId: string }).InstanceId;
    assert.match(instanceId, /^mi-[0-9a-f]{17}$/);
    const tags = await ssm().send(
      new ListTagsForResourceCommand({ ResourceType: 'ManagedInstance', ResourceId: instanceId }),
    );
    assert.deepEqual(tags.TagList, SSH_TAGS);
    const before = await describeInstance(instanceId);
    assert.equal(before.PingStatus, 'ConnectionLost', 'no heartbeat yet');
    assert.equal(before.ActivationId, created.ActivationId);
    assert.equal(before.IamRole, 'SageMakerExecutionRole');
    assert.equal(before.Name, 'node');

    const heartbeat = await jsonCall(emulator(), 'AmazonSSM.UpdateInstanceInformation', {
      InstanceId: instanceId,
      AgentVersion: '3.3.987.0',
      AgentStatus: 'Active',
      PlatformName: 'Ubuntu',
      PlatformVersion: '20.04',
      PlatformType: 'Linux',
      ComputerName: 'algo-1',
      IPAddress: '10.1.2.3',
    });
    assert.equal(heartbeat.status, 200, heartbeat.body);
    const after = await describeInstance(instanceId);
    assert.equal(after.PingStatus, 'Online');
    assert.equal(after.ComputerName, 'algo-1');
    assert.equal(after.AgentVersion, '3.3.987.0');
    assert.equal(after.PlatformVersion, '20.04');
    assert.equal(after.IPAddress, '10.1.2.3');

    const limit = await jsonCall(
      emulator(),
      'AmazonSSM.RegisterManagedInstance',
      { ActivationCode: created.ActivationCode, ActivationId: created.ActivationId },
      { signed: false },
    );
    assert.equal(limit.status, 400);
    assert.equal(JSON.parse(limit.body).__type, 'InvalidActivation');
    assert.match(JSON.parse(limit.body).message, /registration limit of 1/);
    const described = await ssm().send(
      new DescribeActivationsCommand({
        Filters: [{ FilterKey: 'ActivationIds', FilterValues: [created.ActivationId!] }],
      }),
    );
    assert.equal(described.ActivationList![0]!.RegistrationsCount, 1);
  });

  it('rejects wrong codes and expired activations', async () => {
    const created = await ssm().send(new CreateActivationCommand({ IamRole: 'Role' }));
    const wrong = await jsonCall(
      emulator(),
      'AmazonSSM.RegisterManagedInstance',
      { ActivationCode: 'x'.repeat(20), ActivationId: created.ActivationId },
      { signed: false },
    );
    assert.equal(JSON.parse(wrong.body).__type, 'InvalidActivation');
    const expired = await jsonCall(
      emulator(),
      'AmazonSSM.RegisterManagedInstance',
      {
        ActivationCode: 'expired-activation-code-0001',
        ActivationId: 'aaaaaaaa-0000-4000-8000-000000000001',
      },
      { signed: false },
    );
    assert.equal(JSON.parse(expired.body).__type, 'ActivationExpired');
    const heartbeat = await jsonCall(emulator(), 'AmazonSSM.UpdateInstanceInformation', {
      InstanceId: 'mi-0000000000000dead',
    });
    assert.equal(JSON.parse(heartbeat.body).__type, 'InvalidInstanceId');
    const unsigned = await jsonCall(
      emulator(),
      'AmazonSSM.UpdateInstanceInformation',
      { InstanceId: 'mi-0000000000000dead' },
      { signed: false },
    );
    assert.equal(
      JSON.parse(unsigned.body).__type,
      'MissingAuthenticationTokenException',
      'only registration may be unsigned',
    );
  });

  it('deregisters managed instances', async () => {
    const { activationId, activationCode } = emulator().createActivation({ iamRole: 'Role' });
    const instance = emulator().registerInstance(activationId, activationCode, { computerName: 'algo-1' });
    await ssm().send(new DeregisterManagedInstanceCommand({ InstanceId: instance.id }));
    const result = await ssm().send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [instance.id] }] }),
    );
    assert.deepEqual(result.InstanceInformationList, []);
    const again = await expectAwsError(
      ssm().send(new DeregisterManagedInstanceCommand({ InstanceId: instance.id })),
      'InvalidInstanceId',
    );
    assert.ok(again instanceof InvalidInstanceId);
  });
});

describe('emulator: in-process registerInstance / setPingStatus', () => {
  it('registers Online instances with activation tags and flips ping status', async () => {
    const emulator = await startEmulator();
    try {
      const { activationId, activationCode } = emulator.createActivation({
        iamRole: 'SageMakerExecutionRole',
        registrationLimit: 2,
        tags: { SSHOwner: 'AIDAME', SSHResourceName: 'job' },
      });
      const first = emulator.registerInstance(activationId, activationCode, {
        computerName: 'algo-1',
        tags: { SSHHost: 'algo-1' },
      });
      emulator.registerInstance(activationId, activationCode, {
        computerName: 'algo-2',
        tags: { SSHHost: 'algo-2' },
      });
      assert.throws(() => emulator.registerInstance(activationId, activationCode), /registration limit/);
      assert.throws(() => emulator.registerInstance(activationId, 'wrong-code-wrong-code'), /not valid/);
      const { ssm } = clientsFor(emulator);
      const owned = await ssm.send(
        new DescribeInstanceInformationCommand({ Filters: [{ Key: 'tag:SSHOwner', Values: ['AIDAME'] }] }),
      );
      assert.equal(owned.InstanceInformationList!.length, 2);
      assert.ok(owned.InstanceInformationList!.every((instance) => instance.PingStatus === 'Online'));
      emulator.setPingStatus(first.id, 'ConnectionLost');
      const lost = await ssm.send(
        new DescribeInstanceInformationCommand({
          Filters: [{ Key: 'PingStatus', Values: ['ConnectionLost'] }],
        }),
      );
      assert.deepEqual(
        lost.InstanceInformationList!.map((instance) => instance.InstanceId),
        [first.id],
      );
      assert.throws(() => emulator.setPingStatus('mi-0000000000000dead', 'Online'), /not a managed node/);
    } finally {
      await emulator.close();
    }
  });
});
