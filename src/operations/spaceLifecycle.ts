import type { AppInstanceType, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SpaceAdviceSurface } from '../sagemaker/spaceErrors';
import {
  SpaceAppFailedError,
  SpaceInstanceTypeUnsupportedError,
  SpaceRequestRejectedError,
  SpaceWaitCancelledError,
} from '../sagemaker/spaceErrors';
import type { SpaceState } from '../sagemaker/studioSpaces';
import {
  SPACE_APP_NAME,
  describeSpaceState,
  isSpaceRunning,
  supportsRemoteAccess,
} from '../sagemaker/studioSpaces';
import type { StudioSpaceTarget } from '../targets/studioSpace';
import { errorName } from '../util/errors';
import type { CancellationSignal } from '../util/sleep';
import { abortable, sleep, wasAborted } from '../util/sleep';

export interface SpaceOperationOptions {
  readonly surface: SpaceAdviceSurface;
  readonly signal?: CancellationSignal;
  /** Progress lines ("Starting the app (Pending)…"). */
  readonly onProgress?: (message: string) => void;
  /** How long between DescribeApp polls; default 3 s. */
  readonly pollMs?: number;
}

export interface StartSpaceOptions extends SpaceOperationOptions {
  /** The instance type to run on; default the space's own. */
  readonly instanceType?: string;
}

export type SpaceOperationResult =
  | { readonly kind: 'already'; readonly state: SpaceState }
  | { readonly kind: 'done'; readonly state: SpaceState; readonly instanceType?: string };

const VALIDATION = new Set(['ValidationException', 'ResourceInUse']);

/** The instance type Start Space will use, or undefined when it has to ask (see StartSpaceOptions). */
export function startInstanceType(state: SpaceState, requested?: string): string | undefined {
  return requested ?? state.instanceType;
}

/**
 * Start Space: RemoteAccess ENABLED (UpdateSpace, only if off), CreateApp on an instance type that
 * supports it, then DescribeApp until InService. A space that already runs with remote access is
 * left alone. Cancelling stops the wait, not SageMaker.
 */
export async function startSpace(
  sagemaker: SageMakerClient,
  target: StudioSpaceTarget,
  options: StartSpaceOptions,
): Promise<SpaceOperationResult> {
  const { UpdateSpaceCommand, CreateAppCommand } = await import('@aws-sdk/client-sagemaker');
  const state = await describeSpaceState(sagemaker, target, options.signal);
  if (state.remoteAccess && isSpaceRunning(state)) return { kind: 'already', state };
  if (state.app && state.app.status !== 'Failed') {
    throw new SpaceRequestRejectedError(
      'start',
      target.spaceName,
      `its app ${state.app.name} is ${state.app.status}. ` +
        (state.app.status === 'InService'
          ? 'Remote access takes effect on a fresh app: Stop Space, then Start Space.'
          : 'Wait until it settles and try again.'),
    );
  }
  const instanceType = startInstanceType(state, options.instanceType);
  if (instanceType !== undefined && !supportsRemoteAccess(instanceType)) {
    throw new SpaceInstanceTypeUnsupportedError(target.spaceName, instanceType, options.surface);
  }
  const appType = (state.appType ?? 'JupyterLab') as 'JupyterLab' | 'CodeEditor';
  try {
    if (!state.remoteAccess) {
      options.onProgress?.('Enabling remote access…');
      await sagemaker.send(
        new UpdateSpaceCommand({
          DomainId: target.domainId,
          SpaceName: target.spaceName,
          SpaceSettings: { RemoteAccess: 'ENABLED' },
        }),
        abortable(options.signal),
      );
    }
    options.onProgress?.(`Starting the ${appType} app${instanceType ? ` on ${instanceType}` : ''}…`);
    await sagemaker.send(
      new CreateAppCommand({
        DomainId: target.domainId,
        SpaceName: target.spaceName,
        AppType: appType,
        AppName: SPACE_APP_NAME,
        ResourceSpec: instanceType ? { InstanceType: instanceType as AppInstanceType } : undefined,
      }),
      abortable(options.signal),
    );
  } catch (error) {
    throw rejected(error, 'start', target, options);
  }
  const final = await waitForApp(sagemaker, target, 'InService', 'start', options);
  return { kind: 'done', state: final, instanceType };
}

/** Stop Space: DeleteApp of the space's app, then DescribeApp until Deleted. */
export async function stopSpace(
  sagemaker: SageMakerClient,
  target: StudioSpaceTarget,
  options: SpaceOperationOptions,
): Promise<SpaceOperationResult> {
  const { DeleteAppCommand } = await import('@aws-sdk/client-sagemaker');
  const state = await describeSpaceState(sagemaker, target, options.signal);
  const app = state.app;
  if (!app) return { kind: 'already', state };
  if (app.status !== 'Deleting') {
    options.onProgress?.(`Stopping the ${app.type} app…`);
    try {
      await sagemaker.send(
        new DeleteAppCommand({
          DomainId: target.domainId,
          SpaceName: target.spaceName,
          AppType: app.type as 'JupyterLab',
          AppName: app.name,
        }),
        abortable(options.signal),
      );
    } catch (error) {
      throw rejected(error, 'stop', target, options);
    }
  }
  const final = await waitForApp(sagemaker, target, 'Deleted', 'stop', options);
  return { kind: 'done', state: final };
}

function rejected(
  error: unknown,
  what: 'start' | 'stop',
  target: StudioSpaceTarget,
  options: SpaceOperationOptions,
): unknown {
  if (wasAborted(error, options.signal)) return new SpaceWaitCancelledError(what, target.spaceName);
  if (VALIDATION.has(errorName(error))) {
    return new SpaceRequestRejectedError(what, target.spaceName, (error as Error).message);
  }
  return error;
}

async function waitForApp(
  sagemaker: SageMakerClient,
  target: StudioSpaceTarget,
  goal: 'InService' | 'Deleted',
  what: 'start' | 'stop',
  options: SpaceOperationOptions,
): Promise<SpaceState> {
  for (;;) {
    if (options.signal?.cancelled) throw new SpaceWaitCancelledError(what, target.spaceName);
    let state: SpaceState;
    try {
      state = await describeSpaceState(sagemaker, target, options.signal);
    } catch (error) {
      throw rejected(error, what, target, options);
    }
    const status = state.app?.status ?? 'Deleted';
    if (status === goal) return state;
    if (status === 'Failed') throw new SpaceAppFailedError(target.spaceName, undefined);
    options.onProgress?.(`Waiting for the app (${status})…`);
    await sleep(options.pollMs ?? 3000, options.signal);
  }
}
