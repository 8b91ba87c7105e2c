import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { StudioSpaceTarget } from '../targets/studioSpace';
import { SPACE_HOME } from '../targets/studioSpace';
import { errorName } from '../util/errors';
import type { CancellationSignal } from '../util/sleep';
import { abortable } from '../util/sleep';
import type { SpaceAdviceSurface } from './spaceErrors';
import {
  SpaceNotFoundError,
  SpaceNotRunningError,
  SpaceRemoteAccessDisabledError,
  SpaceSessionDeniedError,
  SpaceSessionLimitError,
} from './spaceErrors';

/** Instance types AWS's remote-access prerequisites list as unsupported (they need 8 GiB of memory). */
export const REMOTE_ACCESS_UNSUPPORTED_INSTANCE_TYPES: readonly string[] = [
  'ml.t3.medium',
  'ml.c7i.large',
  'ml.c6i.large',
  'ml.c6id.large',
  'ml.c5.large',
];
/** What Start Space offers when the space's own instance type cannot run remote access. */
export const DEFAULT_REMOTE_ACCESS_INSTANCE_TYPE = 'ml.m5.large';
/** The app Start Space creates (the name SageMaker Studio gives a space's app). */
export const SPACE_APP_NAME = 'default';

export function supportsRemoteAccess(instanceType: string): boolean {
  return !REMOTE_ACCESS_UNSUPPORTED_INSTANCE_TYPES.includes(instanceType);
}

export interface SpaceApp {
  readonly name: string;
  readonly type: string;
  /** Pending, InService, Deleting, Deleted or Failed. */
  readonly status: string;
  readonly instanceType?: string;
}

export interface SpaceState {
  readonly arn: string;
  readonly remoteAccess: boolean;
  /** JupyterLab or CodeEditor (undefined for a space made without one). */
  readonly appType?: string;
  /** The space's DefaultResourceSpec instance type, or that of its last app. */
  readonly instanceType?: string;
  /** The space's app that is not Deleted (at most one runs), else undefined. */
  readonly app?: SpaceApp;
}

export function isSpaceRunning(state: SpaceState): boolean {
  return state.app?.status === 'InService';
}

/** DescribeSpace and ListApps of the space, in parallel: two calls. */
export async function describeSpaceState(
  sagemaker: SageMakerClient,
  target: StudioSpaceTarget,
  signal?: CancellationSignal,
): Promise<SpaceState> {
  const { DescribeSpaceCommand, ListAppsCommand } = await import('@aws-sdk/client-sagemaker');
  const [space, apps] = await Promise.all([
    sagemaker.send(
      new DescribeSpaceCommand({ DomainId: target.domainId, SpaceName: target.spaceName }),
      abortable(signal),
    ),
    sagemaker.send(
      new ListAppsCommand({
        DomainIdEquals: target.domainId,
        SpaceNameEquals: target.spaceName,
        SortOrder: 'Descending',
        MaxResults: 20,
      }),
      abortable(signal),
    ),
  ]);
  const settings = space.SpaceSettings;
  const defaultSpec =
    settings?.AppType === 'CodeEditor'
      ? settings.CodeEditorAppSettings?.DefaultResourceSpec
      : settings?.JupyterLabAppSettings?.DefaultResourceSpec;
  const listed = (apps.Apps ?? []).filter((a) => a.AppName && a.AppType);
  const live = listed.find((a) => a.Status !== 'Deleted');
  const last = live ?? listed[0];
  return {
    arn: space.SpaceArn ?? '',
    remoteAccess: settings?.RemoteAccess === 'ENABLED',
    appType: settings?.AppType ?? last?.AppType,
    instanceType: defaultSpec?.InstanceType ?? last?.ResourceSpec?.InstanceType,
    app: live
      ? {
          name: live.AppName!,
          type: live.AppType!,
          status: live.Status ?? 'Unknown',
          instanceType: live.ResourceSpec?.InstanceType,
        }
      : undefined,
  };
}

/** What StartSession answers: an SSM data channel to the space's sshd. */
export interface SpaceSession {
  readonly SessionId: string;
  readonly StreamUrl: string;
  readonly TokenValue: string;
}

export interface SpaceSessionRequest {
  readonly target: StudioSpaceTarget;
  readonly spaceArn: string;
  readonly alias: string;
  readonly surface: SpaceAdviceSurface;
  readonly signal?: CancellationSignal;
}

/**
 * sagemaker:StartSession with the space ARN: one call. On a refusal the space is described (only
 * then) so the error says whether remote access is off or the space is stopped.
 */
export async function startSpaceSession(
  sagemaker: SageMakerClient,
  request: SpaceSessionRequest,
): Promise<SpaceSession> {
  const { StartSessionCommand } = await import('@aws-sdk/client-sagemaker');
  try {
    const out = await sagemaker.send(
      new StartSessionCommand({ ResourceIdentifier: request.spaceArn }),
      abortable(request.signal),
    );
    return { SessionId: out.SessionId!, StreamUrl: out.StreamUrl!, TokenValue: out.TokenValue! };
  } catch (error) {
    throw await explainSessionFailure(sagemaker, request, error);
  }
}

async function explainSessionFailure(
  sagemaker: SageMakerClient,
  request: SpaceSessionRequest,
  error: unknown,
): Promise<unknown> {
  const { target, spaceArn, alias, surface } = request;
  switch (errorName(error)) {
    case 'AccessDeniedException':
      return new SpaceSessionDeniedError(spaceArn, (error as Error).message);
    case 'ResourceNotFound':
      return new SpaceNotFoundError(spaceArn);
    case 'ResourceLimitExceeded':
      return new SpaceSessionLimitError(target.spaceName);
    case 'ValidationException': {
      const state = await describeSpaceState(sagemaker, target, request.signal).catch(() => undefined);
      if (state && !state.remoteAccess)
        return new SpaceRemoteAccessDisabledError(target.spaceName, alias, surface);
      if (state && !isSpaceRunning(state)) {
        return new SpaceNotRunningError(target.spaceName, alias, surface, state.app?.status);
      }
      return error;
    }
    default:
      return error;
  }
}

/** The folder Remote-SSH opens in a space. */
export const SPACE_FOLDER = SPACE_HOME;
