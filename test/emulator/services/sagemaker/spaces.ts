import { AwsError, validationError } from '../../errors';
import type { JsonObject, JsonOperation, OperationContext } from '../../operations';
import { JsonInput } from '../../protocols/jsonInput';
import type { AppRecord, SpaceRecord } from '../../stores/studio';
import { DOMAIN_ID_PATTERN, NAME_PATTERN, resourceNotFound } from './common';

/**
 * Studio spaces with remote access: UpdateSpace (RemoteAccess, the default instance type), CreateApp
 * and DeleteApp with lazy Pending → InService and Deleting → Deleted (after `options.stopDelayMs`,
 * applied by EmulatorState.advance), and sagemaker:StartSession with the space ARN.
 */

/** Instance types AWS documents as unable to run remote access (the Studio remote-access prerequisites). */
export const REMOTE_ACCESS_UNSUPPORTED_INSTANCE_TYPES: readonly string[] = [
  'ml.t3.medium',
  'ml.c7i.large',
  'ml.c6i.large',
  'ml.c6id.large',
  'ml.c5.large',
];

const SPACE_APP_TYPES = ['JupyterLab', 'CodeEditor'] as const;
const APP_TYPES = [
  'JupyterServer',
  'KernelGateway',
  'DetailedProfiler',
  'TensorBoard',
  'CodeEditor',
  'JupyterLab',
  'RStudioServerPro',
  'RSessionGateway',
  'Canvas',
] as const;
const DEFAULT_SPACE_INSTANCE_TYPE = 'ml.t3.medium';
const SPACE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:space\/(d-[a-z0-9-]+)\/([a-zA-Z0-9-]+)$/;
const LIVE_APP_STATUSES = new Set(['Pending', 'InService', 'Deleting']);

function settingsKey(appType: string | undefined): string {
  return appType === 'CodeEditor' ? 'CodeEditorAppSettings' : 'JupyterLabAppSettings';
}

function requireSpace(context: OperationContext, domainId: string, name: string): SpaceRecord {
  const space = context.state.studio.space(domainId, name);
  if (!space) throw resourceNotFound(`Space ${context.state.arns.space(domainId, name)} does not exist.`);
  return space;
}

function unsupportedInstanceType(instanceType: string): AwsError {
  return validationError(
    `Remote access is not supported on instance type ${instanceType}. Choose an instance type with at ` +
      'least 8 GiB of memory, such as ml.m5.large, or disable remote access for the space.',
  );
}

function updateSpace(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const domainId = input.string('DomainId', { required: true, max: 63, pattern: DOMAIN_ID_PATTERN })!;
  const name = input.string('SpaceName', { required: true, max: 63, pattern: NAME_PATTERN })!;
  const settings = input.object('SpaceSettings');
  const remoteAccess = settings?.enumOf('RemoteAccess', ['ENABLED', 'DISABLED'] as const);
  const appType = settings?.enumOf('AppType', SPACE_APP_TYPES);
  const appSettings = settings?.object(settingsKey(appType));
  const instanceType = appSettings?.object('DefaultResourceSpec')?.string('InstanceType', { max: 64 });
  input.finish();
  const space = requireSpace(context, domainId, name);
  if (appType !== undefined && space.appType !== undefined && appType !== space.appType) {
    throw validationError(`The app type of space ${name} cannot be changed from ${space.appType}.`);
  }
  context.state.studio.updateSpace(space, (s) => {
    if (remoteAccess !== undefined) s.remoteAccess = remoteAccess;
    if (instanceType !== undefined) s.defaultInstanceType = instanceType;
    s.lastModifiedTime = context.now;
  });
  return { SpaceArn: space.arn };
}

function createApp(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const domainId = input.string('DomainId', { required: true, max: 63, pattern: DOMAIN_ID_PATTERN })!;
  const userProfile = input.string('UserProfileName', { max: 63, pattern: NAME_PATTERN });
  const spaceName = input.string('SpaceName', { max: 63, pattern: NAME_PATTERN });
  const appType = input.enumOf('AppType', APP_TYPES, true)!;
  const appName = input.string('AppName', { required: true, max: 63, pattern: NAME_PATTERN })!;
  const instanceType = input.object('ResourceSpec')?.string('InstanceType', { max: 64 });
  input.finish();
  if (spaceName === undefined || userProfile !== undefined) {
    // Studio Classic apps are not started through the emulator.
    throw validationError('The emulator creates apps in spaces only: give SpaceName, not UserProfileName.');
  }
  const { studio, arns } = context.state;
  const space = requireSpace(context, domainId, spaceName);
  if (!(SPACE_APP_TYPES as readonly string[]).includes(appType)) {
    throw validationError(`Spaces run JupyterLab or CodeEditor apps, not ${appType}.`);
  }
  if (space.appType !== undefined && space.appType !== appType) {
    throw validationError(`Space ${spaceName} runs ${space.appType} apps, not ${appType}.`);
  }
  const live = studio
    .allApps()
    .find(
      (app) =>
        app.domainId === domainId &&
        app.ownerKind === 'space' &&
        app.owner === spaceName &&
        LIVE_APP_STATUSES.has(app.status),
    );
  if (live) {
    throw new AwsError(
      'ResourceInUse',
      `Space ${spaceName} already has app ${live.name} in status ${live.status}.`,
    );
  }
  const type = instanceType ?? space.defaultInstanceType ?? DEFAULT_SPACE_INSTANCE_TYPE;
  if (space.remoteAccess === 'ENABLED' && REMOTE_ACCESS_UNSUPPORTED_INSTANCE_TYPES.includes(type)) {
    throw unsupportedInstanceType(type);
  }
  const previous = studio.app(domainId, 'space', spaceName, appType, appName);
  if (previous) studio.removeApp(previous);
  const arn = arns.app(domainId, spaceName, appType, appName);
  const app: AppRecord = {
    domainId,
    ownerKind: 'space',
    owner: spaceName,
    type: appType as AppRecord['type'],
    name: appName,
    arn,
    status: 'Pending',
    creationTime: context.now,
    instanceType: type,
    imageArn:
      previous?.imageArn ??
      `arn:${arns.partition}:sagemaker:${arns.region}:081325390199:image/sagemaker-distribution-cpu`,
    readyAt: new Date(context.now.getTime() + context.state.options.stopDelayMs),
  };
  studio.addApp(app);
  studio.runtime?.appCreated(app, space);
  return { AppArn: arn };
}

function deleteApp(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const domainId = input.string('DomainId', { required: true, max: 63, pattern: DOMAIN_ID_PATTERN })!;
  const userProfile = input.string('UserProfileName', { max: 63, pattern: NAME_PATTERN });
  const spaceName = input.string('SpaceName', { max: 63, pattern: NAME_PATTERN });
  const appType = input.enumOf('AppType', APP_TYPES, true)!;
  const appName = input.string('AppName', { required: true, max: 63, pattern: NAME_PATTERN })!;
  input.finish();
  if ((userProfile === undefined) === (spaceName === undefined)) {
    throw validationError('Specify exactly one of UserProfileName and SpaceName.');
  }
  const ownerKind = spaceName !== undefined ? 'space' : 'userProfile';
  const owner = (spaceName ?? userProfile)!;
  const { studio, arns } = context.state;
  const app = studio.app(domainId, ownerKind, owner, appType, appName);
  if (!app || app.status === 'Deleted') {
    throw resourceNotFound(`App ${arns.app(domainId, owner, appType, appName)} does not exist.`);
  }
  if (app.status === 'Deleting') {
    throw new AwsError('ResourceInUse', `App ${app.arn} is already being deleted.`);
  }
  studio.updateApp(app, (a) => {
    a.status = 'Deleting';
    a.goneAt = new Date(context.now.getTime() + context.state.options.stopDelayMs);
  });
  return {};
}

function spaceOfArn(resourceIdentifier: string): { domainId: string; spaceName: string } | undefined {
  const match = SPACE_ARN.exec(resourceIdentifier);
  return match ? { domainId: match[1], spaceName: match[2] } : undefined;
}

function startSession(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const resource = input.string('ResourceIdentifier', {
    required: true,
    min: 1,
    max: 256,
    pattern: /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:.*\/.*$/,
  })!;
  input.finish();
  const named = spaceOfArn(resource);
  if (!named) throw validationError(`Remote access sessions are started for spaces only, not ${resource}.`);
  const space = context.state.studio.space(named.domainId, named.spaceName);
  if (!space || space.arn !== resource) throw resourceNotFound(`Space ${resource} does not exist.`);
  if (space.remoteAccess !== 'ENABLED') {
    throw validationError(
      `Remote access is not enabled for space ${space.name}. Enable it (UpdateSpace with ` +
        'SpaceSettings.RemoteAccess ENABLED) and restart the space.',
    );
  }
  const app = context.state.studio
    .allApps()
    .find(
      (a) =>
        a.domainId === space.domainId &&
        a.ownerKind === 'space' &&
        a.owner === space.name &&
        a.status === 'InService',
    );
  if (!app) {
    throw validationError(`Space ${space.name} is not running. Start its app (CreateApp) and try again.`);
  }
  const runtime = context.state.studio.runtime;
  const session = runtime?.startSession(app, context.endpoint);
  if (!session) {
    throw new AwsError('InternalFailure', `The app of space ${space.name} cannot take sessions.`, 500);
  }
  return { ...session };
}

export const spaceOperations: Record<string, JsonOperation> = {
  UpdateSpace: { handler: updateSpace, resourceArn: (input, context) => spaceArnOf(input, context) },
  CreateApp: { handler: createApp },
  DeleteApp: { handler: deleteApp },
  StartSession: { handler: startSession, resourceArn: (input) => String(input.ResourceIdentifier ?? '') },
};

function spaceArnOf(input: JsonObject, context: OperationContext): string {
  return context.state.arns.space(String(input.DomainId ?? ''), String(input.SpaceName ?? ''));
}
