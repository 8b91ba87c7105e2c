import type { Readable, Writable } from 'node:stream';
import type { AwsConnection } from '../aws/awsAccess';
import { spaceArnOf } from '../connect/spaceArns';
import { startSpaceSession } from '../sagemaker/studioSpaces';
import type { SessionCalls } from '../ssm/runSession';
import { runSession } from '../ssm/runSession';
import type { SessionEnd } from '../ssm/ssmSession';
import type { StudioSpaceTarget } from '../targets/studioSpace';
import type { Logger } from '../util/logger';

export interface SpaceProxyHost {
  readonly alias: string;
  readonly target: StudioSpaceTarget;
}

/**
 * The ProxyCommand of a Studio space: sagemaker:StartSession with the space ARN, then our client
 * pipes the session (a stream to the space's sshd) to ssh's stdio. Nothing is cached but the ARN,
 * so reloads, new windows and a plain `ssh <alias>` in any terminal work; the token is never logged.
 */
export async function startSpaceProxy(
  connection: AwsConnection,
  calls: SessionCalls,
  stateDir: string,
  host: SpaceProxyHost,
  streams: { readonly input: Readable; readonly output: Writable },
  logger: Logger,
  whileOpen?: (terminate: () => void) => () => void,
): Promise<SessionEnd> {
  const [sagemaker, spaceArn] = await Promise.all([
    connection.clients.sagemaker(),
    spaceArnOf(connection, stateDir, host.alias, host.target),
  ]);
  const response = await startSpaceSession(sagemaker, {
    target: host.target,
    spaceArn,
    alias: host.alias,
    surface: 'cli',
  });
  logger.debug(`${host.alias}: sagemaker:StartSession opened session ${response.SessionId}`);
  return runSession({
    start: { response },
    calls: async () => calls,
    outlet: { kind: 'stdio', input: streams.input, output: streams.output },
    whileOpen,
    log: logger,
  });
}
