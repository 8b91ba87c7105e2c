import { readFile } from 'node:fs/promises';
import { Duplex, PassThrough } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import type { AwsConnection } from '../aws/awsAccess';
import type { SpaceAdviceSurface } from '../sagemaker/spaceErrors';
import { startSpaceSession } from '../sagemaker/studioSpaces';
import { SshKeyStore } from '../ssh/keys/keyStore';
import type { SshPublicKey } from '../ssh/keys/publicKey';
import { KnownHostsFile } from '../ssh/knownHosts/knownHostsFile';
import { SsmApi } from '../ssm/ssmApi';
import { openSession } from '../ssm/ssmSession';
import { runStdioProxy } from '../ssm/stdioProxy';
import type { StudioSpaceTarget } from '../targets/studioSpace';
import { SPACE_LOGIN_USER } from '../targets/studioSpace';
import { UserFacingError } from '../util/errors';
import type { Logger } from '../util/logger';
import { keyDirectory } from './prepareSshHost';
import { spaceArnOf } from './spaceArns';
import { scanSpaceHostKey } from './spaceHostKeys';

export class SpaceHostKeyChangedError extends UserFacingError {
  readonly code = 'HostKeyChanged';
  constructor(alias: string, surface: SpaceAdviceSurface) {
    super(
      `The SSH host key of ${alias} is not the one pinned for it: the space was probably restarted with ` +
        `new host keys. ${surface === 'cli' ? `Run sm-ssh connect ${alias}` : 'Connect to the space again'} ` +
        'to read and pin its current key.',
    );
  }
}

export class SpaceShellError extends UserFacingError {
  readonly code = 'SpaceShellFailed';
  constructor(alias: string, reason: string) {
    super(`Could not open a shell in ${alias}: ${reason}`);
  }
}

export interface SpaceShellEnvironment {
  readonly connection: AwsConnection;
  readonly stateDir: string;
  readonly knownHostsPath: string;
  readonly logger: Logger;
  readonly surface: SpaceAdviceSurface;
}

export interface SpaceShellRequest {
  readonly alias: string;
  readonly target: StudioSpaceTarget;
  /** A terminal: an interactive login shell with this size. Without one, `command` runs with pipes. */
  readonly pty?: { readonly cols: number; readonly rows: number };
  readonly command?: string;
}

/** A shell (or command) in a space over SSH, on our own client over a sagemaker:StartSession session. */
export interface SpaceShell {
  readonly channel: ClientChannel;
  /** The remote exit status (undefined when the connection ended without one). */
  readonly exited: Promise<number | undefined>;
  resize(cols: number, rows: number): void;
  close(): void;
}

function hostKeyAlgorithms(keys: readonly SshPublicKey[]): string[] {
  return [...new Set(keys.map((key) => key.type as string))].flatMap((type) =>
    type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256'] : [type],
  );
}

/** Our pinned keys for the alias; read and pinned through a session first when there are none yet. */
async function pinnedKeys(
  env: SpaceShellEnvironment,
  request: SpaceShellRequest,
  spaceArn: string,
  api: SsmApi,
): Promise<SshPublicKey[]> {
  const knownHosts = new KnownHostsFile({ path: env.knownHostsPath });
  const pinned = await knownHosts.hostKeys(request.alias);
  if (pinned.length > 0) return pinned;
  const sagemaker = await env.connection.clients.sagemaker();
  const { alias, target } = request;
  const startSession = (): ReturnType<typeof startSpaceSession> =>
    startSpaceSession(sagemaker, { target, spaceArn, alias, surface: env.surface });
  await knownHosts.setHostKeys(alias, [
    await scanSpaceHostKey(startSession, api, target.spaceName, env.logger),
  ]);
  return knownHosts.hostKeys(alias);
}

/**
 * Opens SSH as sagemaker-user to a running space with remote access and starts a login shell on a
 * pty (Open Terminal, an interactive `sm-ssh shell`) or runs a command with pipes (a piped `sm-ssh
 * shell`). sagemaker:StartSession's session is a stream to sshd, not a shell, so this is the way to
 * a terminal there; the host key must be the pinned one (it is read and pinned if none is yet).
 */
export async function openSpaceShell(
  env: SpaceShellEnvironment,
  request: SpaceShellRequest,
): Promise<SpaceShell> {
  const { connection, logger } = env;
  const { alias, target } = request;
  const keys = new SshKeyStore({ directory: keyDirectory(env.stateDir), logger });
  const [sagemaker, api, spaceArn, key] = await Promise.all([
    connection.clients.sagemaker(),
    SsmApi.forConnection(connection),
    spaceArnOf(connection, env.stateDir, alias, target),
    keys.ensureKey(alias),
  ]);
  const [pinned, privateKey] = await Promise.all([
    pinnedKeys(env, request, spaceArn, api),
    readFile(key.privateKeyPath),
  ]);
  const response = await startSpaceSession(sagemaker, { target, spaceArn, alias, surface: env.surface });
  const session = await openSession({
    sessionId: response.SessionId,
    streamUrl: response.StreamUrl,
    tokenValue: response.TokenValue,
    resume: () => api.resumeSession(response.SessionId),
    terminate: () => api.terminateSession(response.SessionId),
    log: logger,
  });
  const toRemote = new PassThrough();
  const fromRemote = new PassThrough();
  const proxy = runStdioProxy(session, toRemote, fromRemote, { log: logger });
  const sock = Duplex.from({ readable: fromRemote, writable: toRemote });
  const { Client } = await import('ssh2');
  const client = new Client();
  const end = (): void => {
    client.end();
    sock.destroy();
    toRemote.end();
    void session.terminate().catch(() => undefined);
  };
  void proxy.then(
    () => sock.destroy(),
    () => sock.destroy(),
  );
  let hostKeyRefused = false;
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', reject);
      client.once('close', () => reject(new Error('the connection closed during the SSH handshake')));
      client.connect({
        sock,
        username: SPACE_LOGIN_USER,
        privateKey,
        readyTimeout: 60_000,
        algorithms: { serverHostKey: hostKeyAlgorithms(pinned) } as never,
        hostVerifier: (blob: Buffer): boolean => {
          hostKeyRefused = !pinned.some((keyOf) => keyOf.blob.equals(blob));
          return !hostKeyRefused;
        },
      });
    });
  } catch (error) {
    end();
    if (hostKeyRefused) throw new SpaceHostKeyChangedError(alias, env.surface);
    throw new SpaceShellError(alias, (error as Error).message);
  }
  const channel = await new Promise<ClientChannel>((resolve, reject) => {
    const done = (error: Error | undefined, opened: ClientChannel): void =>
      error ? reject(new SpaceShellError(alias, error.message)) : resolve(opened);
    const pty = request.pty
      ? { term: 'xterm-256color', cols: request.pty.cols, rows: request.pty.rows }
      : undefined;
    if (request.command !== undefined) client.exec(request.command, pty ? { pty } : {}, done);
    else client.shell(pty ?? false, done);
  }).catch((error: unknown) => {
    end();
    throw error;
  });
  const exited = new Promise<number | undefined>((resolve) => {
    let code: number | undefined;
    channel.on('exit', (status: number | null) => (code = status ?? undefined));
    channel.once('close', () => {
      end();
      resolve(code);
    });
  });
  return {
    channel,
    exited,
    resize: (cols, rows) => channel.setWindow(rows, cols, 0, 0),
    close: () => {
      channel.close();
      end();
    },
  };
}
