import * as assert from 'node:assert/strict';
import {
  CreateAppCommand,
  DeleteAppCommand,
  DescribeAppCommand,
  DescribeSpaceCommand,
  ListSpacesCommand,
  StartSessionCommand,
  UpdateSpaceCommand,
} from '@aws-sdk/client-sagemaker';
import type { ScenarioDocument } from '../index';
import type { SpaceRuntime } from '../stores/studio';
import { clientsFor, expectAwsError, useEmulator } from '../../support/emulator';

const DOMAIN = 'd-spaces0001';
const SPACE_ARN = `arn:aws:sagemaker:us-east-1:123456789012:space/${DOMAIN}/remote`;

const scenario: ScenarioDocument = {
  identities: [
    {
      name: 'developer',
      accessKeyId: 'AKIAEMULATORDEVELOPER',
      secretAccessKey: 'developer-secret',
      arn: 'arn:aws:iam::123456789012:user/developer',
      userId: 'AIDAEMULATORDEVELOPER',
    },
    {
      name: 'denied',
      accessKeyId: 'AKIAEMULATORDENIED00',
      secretAccessKey: 'denied-secret',
      arn: 'arn:aws:iam::123456789012:user/denied',
      userId: 'AIDAEMULATORDENIED00',
      deny: [{ action: 'sagemaker:StartSession', resource: SPACE_ARN }],
    },
  ],
  options: { stopDelayMs: 1000 },
  sagemaker: {
    domains: [
      {
        id: DOMAIN,
        name: 'spaces',
        spaces: [
          { name: 'remote', appType: 'JupyterLab', remoteAccess: 'DISABLED' },
          {
            name: 'small',
            appType: 'JupyterLab',
            remoteAccess: 'ENABLED',
            apps: [{ type: 'JupyterLab', name: 'default', status: 'Deleted', instanceType: 'ml.t3.medium' }],
          },
        ],
      },
    ],
  },
};

describe('emulator: Studio spaces with remote access', () => {
  let nowMs = Date.parse('2026-01-01T00:00:00Z');
  const emulator = useEmulator(scenario, { now: () => nowMs });
  const sessions: string[] = [];
  const runtime: SpaceRuntime = {
    appCreated: () => undefined,
    appDeleted: () => undefined,
    startSession: (app, endpoint) => {
      sessions.push(app.arn);
      return {
        SessionId: 's-1',
        StreamUrl: `${endpoint.replace('http', 'ws')}/v1/data-channel/s-1`,
        TokenValue: 't',
      };
    },
  };
  before(() => {
    emulator().state.studio.runtime = runtime;
  });

  it('walks a space from remote access disabled to a session and back to stopped', async () => {
    const { sagemaker } = clientsFor(emulator());
    await expectAwsError(
      sagemaker.send(new StartSessionCommand({ ResourceIdentifier: SPACE_ARN })),
      'ValidationException',
    );
    const updated = await sagemaker.send(
      new UpdateSpaceCommand({
        DomainId: DOMAIN,
        SpaceName: 'remote',
        SpaceSettings: {
          RemoteAccess: 'ENABLED',
          JupyterLabAppSettings: { DefaultResourceSpec: { InstanceType: 'ml.m5.large' } },
        },
      }),
    );
    assert.equal(updated.SpaceArn, SPACE_ARN);
    const described = await sagemaker.send(
      new DescribeSpaceCommand({ DomainId: DOMAIN, SpaceName: 'remote' }),
    );
    assert.equal(described.SpaceSettings?.RemoteAccess, 'ENABLED');
    assert.equal(
      described.SpaceSettings?.JupyterLabAppSettings?.DefaultResourceSpec?.InstanceType,
      'ml.m5.large',
    );
    const listed = await sagemaker.send(new ListSpacesCommand({ DomainIdEquals: DOMAIN }));
    assert.equal(
      listed.Spaces?.find((s) => s.SpaceName === 'remote')?.SpaceSettingsSummary?.RemoteAccess,
      'ENABLED',
    );

    // No app yet: the space is not running.
    const stopped = await expectAwsError(
      sagemaker.send(new StartSessionCommand({ ResourceIdentifier: SPACE_ARN })),
      'ValidationException',
    );
    assert.match(stopped.message, /not running/);

    const app = { DomainId: DOMAIN, SpaceName: 'remote', AppType: 'JupyterLab' as const, AppName: 'default' };
    await sagemaker.send(new CreateAppCommand(app));
    const pending = await sagemaker.send(new DescribeAppCommand(app));
    assert.equal(pending.Status, 'Pending');
    assert.equal(pending.ResourceSpec?.InstanceType, 'ml.m5.large');
    await expectAwsError(sagemaker.send(new CreateAppCommand(app)), 'ResourceInUse');
    await expectAwsError(
      sagemaker.send(new StartSessionCommand({ ResourceIdentifier: SPACE_ARN })),
      'ValidationException',
    );

    nowMs += 1000;
    assert.equal((await sagemaker.send(new DescribeAppCommand(app))).Status, 'InService');
    const session = await sagemaker.send(new StartSessionCommand({ ResourceIdentifier: SPACE_ARN }));
    assert.equal(session.SessionId, 's-1');
    assert.ok(session.StreamUrl?.startsWith('ws://127.0.0.1:'));
    assert.ok(session.TokenValue);
    assert.deepEqual(sessions, [pending.AppArn]);

    const denied = await expectAwsError(
      clientsFor(emulator(), 'denied').sagemaker.send(
        new StartSessionCommand({ ResourceIdentifier: SPACE_ARN }),
      ),
      'AccessDeniedException',
    );
    assert.match(denied.message, /sagemaker:StartSession/);

    await sagemaker.send(new DeleteAppCommand(app));
    assert.equal((await sagemaker.send(new DescribeAppCommand(app))).Status, 'Deleting');
    nowMs += 1000;
    assert.equal((await sagemaker.send(new DescribeAppCommand(app))).Status, 'Deleted');
    await expectAwsError(sagemaker.send(new DeleteAppCommand(app)), 'ResourceNotFound');
    await expectAwsError(
      sagemaker.send(new StartSessionCommand({ ResourceIdentifier: SPACE_ARN })),
      'ValidationException',
    );
  });

  it('refuses remote access on an instance type that cannot run it', async () => {
    const { sagemaker } = clientsFor(emulator());
    const app = { DomainId: DOMAIN, SpaceName: 'small', AppType: 'JupyterLab' as const, AppName: 'default' };
    const error = await expectAwsError(sagemaker.send(new CreateAppCommand(app)), 'ValidationException');
    assert.match(error.message, /ml\.t3\.medium/);
    await sagemaker.send(new CreateAppCommand({ ...app, ResourceSpec: { InstanceType: 'ml.m5.large' } }));
    assert.equal((await sagemaker.send(new DescribeAppCommand(app))).Status, 'Pending');
  });

  it('answers ResourceNotFound for a space that does not exist', async () => {
    const { sagemaker } = clientsFor(emulator());
    await expectAwsError(
      sagemaker.send(new StartSessionCommand({ ResourceIdentifier: `${SPACE_ARN}-gone` })),
      'ResourceNotFound',
    );
    await expectAwsError(
      sagemaker.send(
        new UpdateSpaceCommand({
          DomainId: DOMAIN,
          SpaceName: 'gone',
          SpaceSettings: { RemoteAccess: 'ENABLED' },
        }),
      ),
      'ResourceNotFound',
    );
  });
});
