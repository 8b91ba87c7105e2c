import * as assert from 'node:assert/strict';
import {
  AddTagsToResourceCommand,
  DescribeInstanceInformationCommand,
  InvalidFilterKey,
  InvalidInstanceInformationFilterValue,
  InvalidNextToken,
  InvalidResourceId,
  ListTagsForResourceCommand,
  paginateDescribeInstanceInformation,
  RemoveTagsFromResourceCommand,
  TooManyTagsError,
  type DescribeInstanceInformationCommandInput,
} from '@aws-sdk/client-ssm';
import type { ScenarioDocument } from '..';
import { clientsFor, expectAwsError, useEmulator } from '../../support/emulator';

const JOB_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:training-job/';

const scenario: ScenarioDocument = {
  ssm: {
    instances: [
      {
        id: 'mi-00000000000000001',
        pingStatus: 'Online',
        lastPing: '-1m',
        registrationDate: '-2h',
        computerName: 'algo-1',
        ipAddress: '10.0.0.1',
        activationId: '11111111-1111-4111-8111-111111111111',
        associationStatus: 'Success',
        tags: {
          SSHOwner: 'AIDAME',
          SSHResourceArn: JOB_ARN + 'job-a',
          SSHHost: 'algo-1',
          SSHTimestamp: '{{epoch -2h}}',
        },
      },
      {
        id: 'mi-00000000000000002',
        pingStatus: 'Online',
        registrationDate: '-110m',
        computerName: 'algo-2',
        agentVersion: '3.2.0.0',
        tags: { SSHOwner: 'AIDAME', SSHResourceArn: JOB_ARN + 'job-a', SSHHost: 'algo-2' },
      },
      {
        id: 'mi-00000000000000003',
        pingStatus: 'ConnectionLost',
        registrationDate: '-3d',
        platformType: 'Windows',
        platformName: 'Microsoft Windows Server 2022',
        tags: { SSHOwner: 'AROAOTHER:teammate', SSHResourceArn: JOB_ARN + 'job-b' },
      },
      {
        id: 'mi-00000000000000004',
        pingStatus: 'Inactive',
        registrationDate: '-10d',
        iamRole: 'OtherRole',
        name: 'named-node',
      },
      ...Array.from({ length: 8 }, (_unused, index) => ({
        id: `mi-1000000000000000${index}`,
        registrationDate: `-${index + 1}m`,
        tags: { Fleet: 'bulk' },
      })),
    ],
  },
};

describe('emulator: SSM DescribeInstanceInformation and tags', () => {
  const emulator = useEmulator(scenario);
  const ssm = () => clientsFor(emulator()).ssm;
  const ids = async (input: DescribeInstanceInformationCommandInput) =>
    (
      (await ssm().send(new DescribeInstanceInformationCommand({ MaxResults: 50, ...input })))
        .InstanceInformationList ?? []
    )
      .map((instance) => instance.InstanceId!)
      .sort();

  it('returns AWS fields for managed instances, without tags', async () => {
    const result = await ssm().send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: 'InstanceIds', Values: ['mi-00000000000000001'] }],
      }),
    );
    const [instance] = result.InstanceInformationList!;
    assert.equal(instance!.InstanceId, 'mi-00000000000000001');
    assert.equal(instance!.PingStatus, 'Online');
    assert.ok(instance!.LastPingDateTime instanceof Date);
    assert.ok(instance!.RegistrationDate instanceof Date);
    assert.equal(instance!.ResourceType, 'ManagedInstance');
    assert.equal(instance!.ComputerName, 'algo-1');
    assert.equal(instance!.IPAddress, '10.0.0.1');
    assert.equal(instance!.PlatformType, 'Linux');
    assert.equal(instance!.IsLatestVersion, false);
    assert.equal(instance!.SourceId, 'mi-00000000000000001');
    assert.equal(instance!.SourceType, 'AWS::SSM::ManagedInstance');
    assert.ok(
      instance!.AgentVersion && instance!.PlatformName && instance!.PlatformVersion && instance!.IamRole,
    );
    assert.equal((instance as Record<string, unknown>).Tags, undefined);
  });

  it('filters by tag:<key> (values OR-ed), tag-key, and ANDs multiple filters', async () => {
    assert.deepEqual(await ids({ Filters: [{ Key: 'tag:SSHOwner', Values: ['AIDAME'] }] }), [
      'mi-00000000000000001',
      'mi-00000000000000002',
    ]);
    assert.deepEqual(
      await ids({ Filters: [{ Key: 'tag:SSHOwner', Values: ['AIDAME', 'AROAOTHER:teammate'] }] }),
      ['mi-00000000000000001', 'mi-00000000000000002', 'mi-00000000000000003'],
    );
    assert.deepEqual(
      await ids({ Filters: [{ Key: 'tag:SSHOwner', Values: ['aidame'] }] }),
      [],
      'tag values match exactly',
    );
    assert.deepEqual(await ids({ Filters: [{ Key: 'tag-key', Values: ['SSHHost'] }] }), [
      'mi-00000000000000001',
      'mi-00000000000000002',
    ]);
    assert.deepEqual(
      await ids({
        Filters: [
          { Key: 'tag:SSHResourceArn', Values: [JOB_ARN + 'job-a'] },
          { Key: 'tag:SSHHost', Values: ['algo-2'] },
        ],
      }),
      ['mi-00000000000000002'],
    );
    assert.deepEqual(
      await ids({
        Filters: [
          { Key: 'tag:SSHOwner', Values: ['AIDAME'] },
          { Key: 'PingStatus', Values: ['ConnectionLost'] },
        ],
      }),
      [],
    );
  });

  it('filters by every attribute key', async () => {
    assert.deepEqual(
      await ids({ Filters: [{ Key: 'PingStatus', Values: ['ConnectionLost', 'Inactive'] }] }),
      ['mi-00000000000000003', 'mi-00000000000000004'],
    );
    assert.deepEqual(await ids({ Filters: [{ Key: 'PlatformTypes', Values: ['Windows'] }] }), [
      'mi-00000000000000003',
    ]);
    assert.deepEqual(await ids({ Filters: [{ Key: 'AgentVersion', Values: ['3.2.0.0'] }] }), [
      'mi-00000000000000002',
    ]);
    assert.deepEqual(await ids({ Filters: [{ Key: 'IamRole', Values: ['OtherRole'] }] }), [
      'mi-00000000000000004',
    ]);
    assert.deepEqual(
      await ids({ Filters: [{ Key: 'ActivationIds', Values: ['11111111-1111-4111-8111-111111111111'] }] }),
      ['mi-00000000000000001'],
    );
    assert.deepEqual(await ids({ Filters: [{ Key: 'AssociationStatus', Values: ['Success'] }] }), [
      'mi-00000000000000001',
    ]);
    assert.equal((await ids({ Filters: [{ Key: 'ResourceType', Values: ['ManagedInstance'] }] })).length, 12);
    assert.deepEqual(await ids({ Filters: [{ Key: 'ResourceType', Values: ['EC2Instance'] }] }), []);
    assert.deepEqual(
      await ids({
        Filters: [{ Key: 'InstanceIds', Values: ['mi-00000000000000004', 'mi-0000000000000dead'] }],
      }),
      ['mi-00000000000000004'],
    );
  });

  it('accepts the legacy InstanceInformationFilterList', async () => {
    assert.deepEqual(
      await ids({ InstanceInformationFilterList: [{ key: 'PingStatus', valueSet: ['Inactive'] }] }),
      ['mi-00000000000000004'],
    );
    const error = await expectAwsError(
      ssm().send(
        new DescribeInstanceInformationCommand({
          InstanceInformationFilterList: [{ key: 'Nope' as never, valueSet: ['x'] }],
        }),
      ),
      'ValidationException',
    );
    assert.match(error.message, /instanceInformationFilterList\.1\.member\.key/);
  });

  it('pages with MaxResults 5..50 and the SDK paginator', async () => {
    const client = ssm();
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeInstanceInformation({ client, pageSize: 5 }, {})) {
      pages++;
      seen.push(...page.InstanceInformationList!.map((instance) => instance.InstanceId!));
    }
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 12);
    const first = await client.send(new DescribeInstanceInformationCommand({}));
    assert.equal(first.InstanceInformationList!.length, 10, 'the default page size is 10');
    assert.ok(first.NextToken);
    const low = await expectAwsError(
      client.send(new DescribeInstanceInformationCommand({ MaxResults: 4 })),
      'ValidationException',
      400,
    );
    assert.equal(
      low.message,
      "1 validation error detected: Value '4' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 5",
    );
    await expectAwsError(
      client.send(new DescribeInstanceInformationCommand({ MaxResults: 51 })),
      'ValidationException',
    );
    const bad = await expectAwsError(
      client.send(new DescribeInstanceInformationCommand({ NextToken: 'abc' })),
      'InvalidNextToken',
      400,
    );
    assert.ok(bad instanceof InvalidNextToken);
  });

  it('rejects unknown filter keys and invalid enumerated values', async () => {
    const key = await expectAwsError(
      ssm().send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'Owner', Values: ['x'] }] })),
      'InvalidFilterKey',
      400,
    );
    assert.ok(key instanceof InvalidFilterKey);
    const value = await expectAwsError(
      ssm().send(
        new DescribeInstanceInformationCommand({ Filters: [{ Key: 'PingStatus', Values: ['online'] }] }),
      ),
      'InvalidInstanceInformationFilterValue',
    );
    assert.ok(value instanceof InvalidInstanceInformationFilterValue);
    await expectAwsError(
      ssm().send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'tag:SSHOwner', Values: [] }] })),
      'ValidationException',
    );
  });

  it('lists, adds and removes tags of managed instances, keeping tag filters in sync', async () => {
    const client = ssm();
    const resource = { ResourceType: 'ManagedInstance' as const, ResourceId: 'mi-00000000000000004' };
    assert.deepEqual((await client.send(new ListTagsForResourceCommand(resource))).TagList, []);
    await client.send(
      new AddTagsToResourceCommand({
        ...resource,
        Tags: [
          { Key: 'SSHOwner', Value: 'AIDAME' },
          { Key: 'Env', Value: 'x' },
        ],
      }),
    );
    assert.deepEqual((await client.send(new ListTagsForResourceCommand(resource))).TagList, [
      { Key: 'SSHOwner', Value: 'AIDAME' },
      { Key: 'Env', Value: 'x' },
    ]);
    assert.ok(
      (await ids({ Filters: [{ Key: 'tag:SSHOwner', Values: ['AIDAME'] }] })).includes(
        'mi-00000000000000004',
      ),
    );
    await client.send(new AddTagsToResourceCommand({ ...resource, Tags: [{ Key: 'Env', Value: 'y' }] }));
    assert.deepEqual(await ids({ Filters: [{ Key: 'tag:Env', Values: ['x'] }] }), []);
    assert.deepEqual(await ids({ Filters: [{ Key: 'tag:Env', Values: ['y'] }] }), ['mi-00000000000000004']);
    await client.send(new RemoveTagsFromResourceCommand({ ...resource, TagKeys: ['SSHOwner', 'Env'] }));
    assert.deepEqual((await client.send(new ListTagsForResourceCommand(resource))).TagList, []);
    assert.ok(
      !(await ids({ Filters: [{ Key: 'tag:SSHOwner', Values: ['AIDAME'] }] })).includes(
        'mi-00000000000000004',
      ),
    );
  });

  it('reports InvalidResourceId and TooManyTagsError', async () => {
    const missing = await expectAwsError(
      ssm().send(
        new ListTagsForResourceCommand({
          ResourceType: 'ManagedInstance',
          ResourceId: 'mi-0000000000000beef',
        }),
      ),
      'InvalidResourceId',
    );
    assert.ok(missing instanceof InvalidResourceId);
    await expectAwsError(
      ssm().send(
        new ListTagsForResourceCommand({ ResourceType: 'Document', ResourceId: 'AWS-RunShellScript' }),
      ),
      'InvalidResourceId',
    );
    const tags = Array.from({ length: 51 }, (_unused, index) => ({ Key: `k${index}`, Value: 'v' }));
    const tooMany = await expectAwsError(
      ssm().send(
        new AddTagsToResourceCommand({
          ResourceType: 'ManagedInstance',
          ResourceId: 'mi-10000000000000000',
          Tags: tags,
        }),
      ),
      'TooManyTagsError',
    );
    assert.ok(tooMany instanceof TooManyTagsError);
  });
});
