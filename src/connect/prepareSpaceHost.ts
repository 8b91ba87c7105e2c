import { SsmApi } from '../ssm/ssmApi';
import type { SpaceAdviceSurface } from '../sagemaker/spaceErrors';
import {
  SpaceNotFoundError,
  SpaceNotRunningError,
  SpaceRemoteAccessDisabledError,
} from '../sagemaker/spaceErrors';
import type { SpaceState } from '../sagemaker/studioSpaces';
import { describeSpaceState, isSpaceRunning, startSpaceSession } from '../sagemaker/studioSpaces';
import type { ManagedHost } from '../ssh/config/managedConfig';
import { SshKeyStore } from '../ssh/keys/keyStore';
import { KnownHostsFile } from '../ssh/knownHosts/knownHostsFile';
import type { StudioSpaceTarget } from '../targets/studioSpace';
import { SPACE_LOGIN_USER, studioSpaceArn } from '../targets/studioSpace';
import { targetAlias } from '../targets/targetAlias';
import { errorName } from '../util/errors';
import type { CancellationSignal } from '../util/sleep';
import type { ConnectEnvironment } from './prepareSshHost';
import { keyDirectory } from './prepareSshHost';
import { rememberSpaceArn } from './spaceArns';
import { scanSpaceHostKey } from './spaceHostKeys';
import { writeVerifiedHost } from './writeVerifiedHost';

export interface SpaceHostRequest {
  readonly target: StudioSpaceTarget;
  readonly surface: SpaceAdviceSurface;
  readonly signal?: CancellationSignal;
  readonly onProgress?: (message: string) => void;
}

export interface PreparedSpaceHost {
  readonly alias: string;
  readonly target: StudioSpaceTarget;
  readonly host: ManagedHost;
  readonly spaceArn: string;
  /** The host key line pinned for the alias. */
  readonly hostKey: string;
}

async function runningSpace(
  env: ConnectEnvironment,
  request: SpaceHostRequest,
  alias: string,
): Promise<SpaceState> {
  const sagemaker = await env.connection.clients.sagemaker();
  const { target, surface } = request;
  let state: SpaceState;
  try {
    state = await describeSpaceState(sagemaker, target, request.signal);
  } catch (error) {
    if (errorName(error) !== 'ResourceNotFound') throw error;
    const identity = await env.connection.identity();
    throw new SpaceNotFoundError(
      studioSpaceArn(target, identity.partition, env.connection.clients.region, identity.account),
    );
  }
  if (!state.remoteAccess) throw new SpaceRemoteAccessDisabledError(target.spaceName, alias, surface);
  if (!isSpaceRunning(state))
    throw new SpaceNotRunningError(target.spaceName, alias, surface, state.app?.status);
  return state;
}

/**
 * Connect to a Studio space, up to the handoff: check it runs with remote access (DescribeSpace +
 * ListApps), read and pin its host key through one sagemaker:StartSession session, write the host
 * (ProxyCommand `start-proxy <alias> --space … --domain …`, user sagemaker-user) and check it with
 * `ssh -G`. No key is pushed: the AWS Toolkit pushes none either, since sagemaker:StartSession is the
 * authorisation; ssh still offers our per-host key (IdentitiesOnly), never the user's own keys.
 */
export async function prepareSpaceHost(
  env: ConnectEnvironment,
  request: SpaceHostRequest,
): Promise<PreparedSpaceHost> {
  const { target } = request;
  const alias = targetAlias(target);
  request.onProgress?.('Checking the space…');
  const state = await runningSpace(env, request, alias);
  const keys = new SshKeyStore({ directory: keyDirectory(env.install.stateDir), logger: env.logger });
  const [key, api, sagemaker] = await Promise.all([
    keys.ensureKey(alias),
    SsmApi.forConnection(env.connection),
    env.connection.clients.sagemaker(),
  ]);
  request.onProgress?.('Reading the space’s host key…');
  const startSession = (): ReturnType<typeof startSpaceSession> =>
    startSpaceSession(sagemaker, {
      target,
      spaceArn: state.arn,
      alias,
      surface: request.surface,
      signal: request.signal,
    });
  const hostKey = await scanSpaceHostKey(startSession, api, target.spaceName, env.logger);
  await new KnownHostsFile({ path: env.configPaths.knownHosts }).setHostKeys(alias, [hostKey]);
  await rememberSpaceArn(env.install.stateDir, alias, state.arn);
  const host = await writeVerifiedHost(env, {
    alias,
    target,
    identityFile: key.privateKeyPath,
    user: SPACE_LOGIN_USER,
  });
  return { alias, target, host, spaceArn: state.arn, hostKey };
}

/**
 * After Start Space: a fresh app may have new host keys, so an alias already pinned is read and
 * pinned again through one session (the same trust as Connect: the user just started this app
 * through IAM-authorised calls). Returns whether it re-pinned; an alias never connected is left alone.
 */
export async function repinStartedSpace(
  env: Pick<ConnectEnvironment, 'connection' | 'logger'> & {
    readonly stateDir: string;
    readonly knownHostsPath: string;
  },
  target: StudioSpaceTarget,
  spaceArn: string,
  surface: SpaceAdviceSurface,
): Promise<boolean> {
  const alias = targetAlias(target);
  const knownHosts = new KnownHostsFile({ path: env.knownHostsPath });
  if ((await knownHosts.hostKeys(alias)).length === 0) return false;
  const [sagemaker, api] = await Promise.all([
    env.connection.clients.sagemaker(),
    SsmApi.forConnection(env.connection),
  ]);
  const hostKey = await scanSpaceHostKey(
    () => startSpaceSession(sagemaker, { target, spaceArn, alias, surface }),
    api,
    target.spaceName,
    env.logger,
  );
  await knownHosts.setHostKeys(alias, [hostKey]);
  await rememberSpaceArn(env.stateDir, alias, spaceArn);
  env.logger.info(`${alias}: pinned the host key of the started app (${hostKey.split(' ')[0]}).`);
  return true;
}
