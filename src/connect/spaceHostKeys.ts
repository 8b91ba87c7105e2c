import { Duplex, PassThrough } from 'node:stream';
import type { SessionCalls } from '../ssm/runSession';
import type { StartSessionResponse } from '../ssm/ssmApi';
import { openSession } from '../ssm/ssmSession';
import { runStdioProxy } from '../ssm/stdioProxy';
import { UserFacingError, errorMessage } from '../util/errors';
import type { Logger } from '../util/logger';

/** Host key algorithms asked for, in OpenSSH's order of preference among plain keys. */
const HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256'];

export class SpaceHostKeyScanError extends UserFacingError {
  readonly code = 'SpaceHostKeyScan';
  constructor(spaceName: string, reason: string) {
    super(
      `Could not read the SSH host key of Studio space "${spaceName}" through its remote-access session: ` +
        `${reason}. Check that the space runs a SageMaker Distribution image that supports remote access ` +
        '(2.8 or later), then try again.',
    );
  }
}

/** `<type> <base64>` of an SSH public key blob (its first field is the type). */
export function hostKeyLine(blob: Buffer): string {
  const length = blob.readUInt32BE(0);
  return `${blob.subarray(4, 4 + length).toString('ascii')} ${blob.toString('base64')}`;
}

/** One key exchange over one session: the host key blob, or why the session ended without one. */
async function readHostKeyOnce(
  response: StartSessionResponse,
  calls: SessionCalls,
  log: Logger,
): Promise<{ key?: Buffer; failure?: string }> {
  const { Client } = await import('ssh2');
  const session = await openSession({
    sessionId: response.SessionId,
    streamUrl: response.StreamUrl,
    tokenValue: response.TokenValue,
    resume: () => calls.resumeSession(response.SessionId),
    terminate: () => calls.terminateSession(response.SessionId),
    log,
  });
  const toRemote = new PassThrough();
  const fromRemote = new PassThrough();
  const proxy = runStdioProxy(session, toRemote, fromRemote, { log });
  const sock = Duplex.from({ readable: fromRemote, writable: toRemote });
  const client = new Client();
  let key: Buffer | undefined;
  let failure: string | undefined;
  try {
    await new Promise<void>((resolve) => {
      client.once('error', (error: Error) => {
        failure ??= error.message;
        resolve();
      });
      client.once('close', () => {
        failure ??= 'the session closed before the key exchange';
        resolve();
      });
      client.once('ready', () => resolve());
      client.connect({
        sock,
        username: 'sagemaker-user',
        readyTimeout: 60_000,
        algorithms: { serverHostKey: HOST_KEY_ALGORITHMS } as never,
        hostVerifier: (blob: Buffer): boolean => {
          key = Buffer.from(blob);
          return false;
        },
      });
    });
  } finally {
    client.end();
    sock.destroy();
    toRemote.end();
    await session.terminate().catch(() => undefined);
    await proxy.catch(() => undefined);
  }
  return key === undefined ? { failure } : { key };
}

/** Sessions tried before giving up: a session can end early (the space's sshd restarting, a dropped stream). */
const SCAN_ATTEMPTS = 2;

/**
 * The space's host key, read through a sagemaker:StartSession session: StartSession takes no
 * document, and the session it opens is a stream to the space's sshd (the AWS Toolkit hands it to
 * ssh as its ProxyCommand), so no shell can read /etc/ssh. Instead an SSH key exchange runs over it
 * and stops at the host key. The stream is TLS to AWS and IAM-authorised, the same trust a shell
 * session would give; the key is then pinned, and ssh checks it strictly from then on.
 * A session that ends before the key exchange is followed by one more.
 */
export async function scanSpaceHostKey(
  startSession: () => Promise<StartSessionResponse>,
  calls: SessionCalls,
  spaceName: string,
  log: Logger,
): Promise<string> {
  let failure: string | undefined;
  for (let attempt = 1; attempt <= SCAN_ATTEMPTS; attempt++) {
    const response = await startSession();
    let result: { key?: Buffer; failure?: string };
    try {
      result = await readHostKeyOnce(response, calls, log);
    } catch (error) {
      // The stream could not be opened or resumed; the last attempt's error is the user's.
      if (attempt === SCAN_ATTEMPTS) throw error;
      result = { failure: errorMessage(error) };
    }
    if (result.key) return hostKeyLine(result.key);
    failure = result.failure ?? 'no reason given';
    log.info(`${spaceName}: the host key scan (session ${attempt} of ${SCAN_ATTEMPTS}) ended: ${failure}`);
  }
  throw new SpaceHostKeyScanError(spaceName, `its sshd sent no host key (${failure})`);
}
