import * as assert from 'node:assert/strict';
import {
  DescribeAppCommand,
  DescribeDomainCommand,
  DescribeSpaceCommand,
  DescribeUserProfileCommand,
  ListAppsCommand,
  ListDomainsCommand,
  ListSpacesCommand,
  ListUserProfilesCommand,
  paginateListApps,
  ResourceNotFound,
} from '@aws-sdk/client-sagemaker';
import type { ScenarioDocument } from '..';
import { clientsFor, expectAwsError, useEmulator } from '../../support/emulator';

const scenario: ScenarioDocument = {
  sagemaker: {
    domains: [
      {
        id: 'd-aaaaaaaaaaaa',
        name: 'research',
        creationTime: '-10d',
        userProfiles: [
          {
            name: 'alice',
            creationTime: '-9d',
            apps: [
              { type: 'JupyterServer', name: 'default', creationTime: '-8d' },
              { type: 'KernelGateway', name: 'datascience-app', creationTime: '-2h' },
              { type: 'KernelGateway', name: 'old-app', status: 'Deleted', creationTime: '-5d' },
            ],
          },
          { name: 'bob', creationTime: '-7d' },
        ],
        spaces: [
          {
            name: 'alice-space',
            creationTime: '-6d',
            ownerUserProfile: 'alice',
            appType: 'JupyterLab',
            remoteAccess: 'ENABLED',
            apps: [
              { type: 'JupyterLab', name: 'default', creationTime: '-1h' },
              { type: 'CodeEditor', name: 'default', creationTime: '-30m' },
            ],
          },
          { name: 'shared-space', creationTime: '-4d' },
        ],
      },
      { id: 'd-bbbbbbbbbbbb', name: 'production', creationTime: '-20d', status: 'Updating' },
    ],
  },
};

describe('emulator: SageMaker Studio', () => {
  const emulator = useEmulator(scenario);
  const sagemaker = () => clientsFor(emulator()).sagemaker;

  it('lists and describes domains', async () => {
    const list = await sagemaker().send(new ListDomainsCommand({}));
    assert.deepEqual(
      list.Domains!.map((domain) => domain.DomainId),
      ['d-aaaaaaaaaaaa', 'd-bbbbbbbbbbbb'],
    );
    assert.equal(list.Domains![1]!.Status, 'Updating');
    const domain = await sagemaker().send(new DescribeDomainCommand({ DomainId: 'd-aaaaaaaaaaaa' }));
    assert.equal(domain.DomainArn, 'arn:aws:sagemaker:us-east-1:123456789012:domain/d-aaaaaaaaaaaa');
    assert.equal(domain.DomainName, 'research');
    assert.equal(domain.Url, 'https://d-aaaaaaaaaaaa.studio.us-east-1.sagemaker.aws');
    assert.match(domain.DefaultUserSettings!.ExecutionRole!, /^arn:aws:iam::123456789012:role\//);
    const error = await expectAwsError(
      sagemaker().send(new DescribeDomainCommand({ DomainId: 'd-cccccccccccc' })),
      'ResourceNotFound',
      400,
    );
    assert.ok(error instanceof ResourceNotFound, 'the SDK raises its modeled ResourceNotFound class');
  });

  it('lists user profiles with filters and sort order, and describes one', async () => {
    const all = await sagemaker().send(new ListUserProfilesCommand({ DomainIdEquals: 'd-aaaaaaaaaaaa' }));
    assert.deepEqual(
      all.UserProfiles!.map((profile) => profile.UserProfileName),
      ['alice', 'bob'],
    );
    const descending = await sagemaker().send(new ListUserProfilesCommand({ SortOrder: 'Descending' }));
    assert.deepEqual(
      descending.UserProfiles!.map((profile) => profile.UserProfileName),
      ['bob', 'alice'],
    );
    const contains = await sagemaker().send(new ListUserProfilesCommand({ UserProfileNameContains: 'LIC' }));
    assert.deepEqual(
      contains.UserProfiles!.map((profile) => profile.UserProfileName),
      ['alice'],
    );
    const none = await sagemaker().send(new ListUserProfilesCommand({ DomainIdEquals: 'd-bbbbbbbbbbbb' }));
    assert.deepEqual(none.UserProfiles, []);
    const alice = await sagemaker().send(
      new DescribeUserProfileCommand({ DomainId: 'd-aaaaaaaaaaaa', UserProfileName: 'alice' }),
    );
    assert.equal(
      alice.UserProfileArn,
      'arn:aws:sagemaker:us-east-1:123456789012:user-profile/d-aaaaaaaaaaaa/alice',
    );
    assert.equal(alice.Status, 'InService');
    await expectAwsError(
      sagemaker().send(
        new DescribeUserProfileCommand({ DomainId: 'd-aaaaaaaaaaaa', UserProfileName: 'carol' }),
      ),
      'ResourceNotFound',
    );
  });

  it('lists and describes spaces with ownership and sharing', async () => {
    const spaces = await sagemaker().send(new ListSpacesCommand({ DomainIdEquals: 'd-aaaaaaaaaaaa' }));
    assert.deepEqual(
      spaces.Spaces!.map((space) => space.SpaceName),
      ['alice-space', 'shared-space'],
    );
    const aliceSpace = spaces.Spaces![0]!;
    assert.equal(aliceSpace.OwnershipSettingsSummary?.OwnerUserProfileName, 'alice');
    assert.equal(aliceSpace.SpaceSharingSettingsSummary?.SharingType, 'Private');
    assert.equal(aliceSpace.SpaceSettingsSummary?.AppType, 'JupyterLab');
    assert.equal(spaces.Spaces![1]!.SpaceSharingSettingsSummary?.SharingType, 'Shared');
    const filtered = await sagemaker().send(new ListSpacesCommand({ SpaceNameContains: 'shared' }));
    assert.deepEqual(
      filtered.Spaces!.map((space) => space.SpaceName),
      ['shared-space'],
    );
    const described = await sagemaker().send(
      new DescribeSpaceCommand({ DomainId: 'd-aaaaaaaaaaaa', SpaceName: 'alice-space' }),
    );
    assert.equal(
      described.SpaceArn,
      'arn:aws:sagemaker:us-east-1:123456789012:space/d-aaaaaaaaaaaa/alice-space',
    );
    assert.equal(described.SpaceSettings?.RemoteAccess, 'ENABLED');
    assert.equal(described.OwnershipSettings?.OwnerUserProfileName, 'alice');
    await expectAwsError(
      sagemaker().send(new DescribeSpaceCommand({ DomainId: 'd-aaaaaaaaaaaa', SpaceName: 'nope' })),
      'ResourceNotFound',
    );
  });

  it('lists apps with every filter; Studio Classic apps carry a user profile, space apps a space', async () => {
    const all = await sagemaker().send(new ListAppsCommand({ MaxResults: 100 }));
    assert.equal(all.Apps!.length, 5);
    const times = all.Apps!.map((app) => app.CreationTime!.getTime());
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
      'default sort is CreationTime ascending',
    );
    const deleted = all.Apps!.find((app) => app.AppName === 'old-app')!;
    assert.equal(deleted.Status, 'Deleted');
    const byProfile = await sagemaker().send(
      new ListAppsCommand({ DomainIdEquals: 'd-aaaaaaaaaaaa', UserProfileNameEquals: 'alice' }),
    );
    assert.deepEqual(byProfile.Apps!.map((app) => app.AppType).sort(), [
      'JupyterServer',
      'KernelGateway',
      'KernelGateway',
    ]);
    assert.ok(byProfile.Apps!.every((app) => app.UserProfileName === 'alice' && app.SpaceName === undefined));
    const bySpace = await sagemaker().send(
      new ListAppsCommand({
        SpaceNameEquals: 'alice-space',
        SortOrder: 'Descending',
        SortBy: 'CreationTime',
      }),
    );
    assert.deepEqual(
      bySpace.Apps!.map((app) => app.AppType),
      ['CodeEditor', 'JupyterLab'],
    );
    assert.ok(
      bySpace.Apps!.every((app) => app.SpaceName === 'alice-space' && app.UserProfileName === undefined),
    );
    const otherDomain = await sagemaker().send(new ListAppsCommand({ DomainIdEquals: 'd-bbbbbbbbbbbb' }));
    assert.deepEqual(otherDomain.Apps, []);
    await expectAwsError(
      sagemaker().send(
        new ListAppsCommand({ UserProfileNameEquals: 'alice', SpaceNameEquals: 'alice-space' }),
      ),
      'ValidationException',
    );
  });

  it('pages apps', async () => {
    const client = sagemaker();
    const seen: string[] = [];
    for await (const page of paginateListApps({ client, pageSize: 2 }, {})) {
      assert.ok(page.Apps!.length <= 2);
      seen.push(
        ...page.Apps!.map((app) => `${app.UserProfileName ?? app.SpaceName}/${app.AppType}/${app.AppName}`),
      );
    }
    assert.equal(new Set(seen).size, 5);
  });

  it('describes apps with lowercased app type in the ARN', async () => {
    const kernel = await sagemaker().send(
      new DescribeAppCommand({
        DomainId: 'd-aaaaaaaaaaaa',
        UserProfileName: 'alice',
        AppType: 'KernelGateway',
        AppName: 'datascience-app',
      }),
    );
    assert.equal(
      kernel.AppArn,
      'arn:aws:sagemaker:us-east-1:123456789012:app/d-aaaaaaaaaaaa/alice/kernelgateway/datascience-app',
    );
    assert.equal(kernel.Status, 'InService');
    assert.equal(kernel.ResourceSpec?.InstanceType, 'ml.t3.medium');
    const editor = await sagemaker().send(
      new DescribeAppCommand({
        DomainId: 'd-aaaaaaaaaaaa',
        SpaceName: 'alice-space',
        AppType: 'CodeEditor',
        AppName: 'default',
      }),
    );
    assert.equal(
      editor.AppArn,
      'arn:aws:sagemaker:us-east-1:123456789012:app/d-aaaaaaaaaaaa/alice-space/codeeditor/default',
    );
    assert.equal(editor.SpaceName, 'alice-space');
    assert.equal(editor.UserProfileName, undefined);
    const deleted = await sagemaker().send(
      new DescribeAppCommand({
        DomainId: 'd-aaaaaaaaaaaa',
        UserProfileName: 'alice',
        AppType: 'KernelGateway',
        AppName: 'old-app',
      }),
    );
    assert.equal(deleted.Status, 'Deleted');
    await expectAwsError(
      sagemaker().send(
        new DescribeAppCommand({
          DomainId: 'd-aaaaaaaaaaaa',
          UserProfileName: 'alice',
          AppType: 'JupyterLab',
          AppName: 'default',
        }),
      ),
      'ResourceNotFound',
    );
    await expectAwsError(
      sagemaker().send(
        new DescribeAppCommand({ DomainId: 'd-aaaaaaaaaaaa', AppType: 'JupyterLab', AppName: 'default' }),
      ),
      'ValidationException',
    );
  });
});
