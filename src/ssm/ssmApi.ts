import type { SSMClient } from '@aws-sdk/client-ssm';
import { AwsAccess } from '../aws/awsAccess';
import type { AwsConnection } from '../aws/awsAccess';
import type { UserFacingError } from '../util/errors';
import type { Logger } from '../util/logger';
import {
  InvalidSessionRequestError,
  ResumeDeniedError,
  SessionTimedOutError,
  TargetNotConnectedError,
} from './sessionErrors';
import type { ResumedSession } from './sessionOptions';
import { createSigV4UpgradeSigner } from './sigv4UpgradeSigner';
import type { UpgradeSigner } from './upgradeSigner';
import { errorName } from '../util/errors';

/** What `StartSession` is asked for (the AWS CLI passes the same shape to session-manager-plugin). */
export interface StartSessionRequest {
  Target: string;
  DocumentName?: string;
  Parameters?: Record<string, string[]>;
  Reason?: string;
}

/** What `StartSession` answers: the session and where its data channel is. */
export interface StartSessionResponse {
  SessionId: string;
  TokenValue: string;
  StreamUrl: string;
}

/** StartSession for an SSH tunnel: AWS-StartSSHSession to `port` (sshd's) on the target. */
export function sshSessionRequest(target: string, port = 22): StartSessionRequest {
  return { Target: target, DocumentName: 'AWS-StartSSHSession', Parameters: { portNumber: [String(port)] } };
}

export interface AwsOptions {
  profile?: string;
  region?: string;
  /** SSM endpoint override (otherwise AWS_ENDPOINT_URL[_SSM] / profile endpoint_url apply). */
  endpointUrl?: string;
}

const INVALID_REQUEST_CODES = new Set([
  'InvalidDocument',
  'InvalidParameters',
  'ValidationException',
  'InvalidTarget',
]);
const ACCESS_DENIED_CODES = new Set(['AccessDeniedException', 'AccessDenied']);
const GONE_CODES = new Set(['DoesNotExistException', 'InvalidSessionId']);

function errorText(error: unknown): string {
  return (error as { message?: string }).message ?? String(error);
}

/**
 * The SSM calls a session needs (StartSession, ResumeSession, TerminateSession), made with the
 * profile, region and endpoint rules of src/aws, and their failures as actionable errors.
 */
export class SsmApi {
  private constructor(
    private readonly connection: AwsConnection,
    private readonly client: SSMClient,
  ) {}

  static async create(
    options: AwsOptions,
    log: Logger,
    env: NodeJS.ProcessEnv = process.env,
  ): Promise<SsmApi> {
    const effectiveEnv = options.endpointUrl ? { ...env, AWS_ENDPOINT_URL_SSM: options.endpointUrl } : env;
    const access = new AwsAccess({ logger: log, env: effectiveEnv });
    const connection = await access.connect({ profile: options.profile, region: options.region });
    const client = await connection.clients.ssm();
    return new SsmApi(connection, client);
  }

  /** Reuses a connection the caller already made (same profile, region and credentials). */
  static async forConnection(connection: AwsConnection): Promise<SsmApi> {
    return new SsmApi(connection, await connection.clients.ssm());
  }

  get region(): string {
    return this.connection.clients.region;
  }

  /**
   * Starts resolving credentials (profile files, SSO cache, credential_process) now, so that work
   * overlaps whatever the caller does before its first call. The client memoizes the result; a
   * failure here is reported by that first call.
   */
  warmUp(): void {
    void Promise.resolve(this.client.config.credentials()).catch(() => undefined);
  }

  /** The SSM endpoint URL, as the plugin contract's last argument wants it. */
  get endpoint(): string {
    return this.connection.context.endpoints.ssm.value ?? `https://ssm.${this.region}.amazonaws.com`;
  }

  translate(error: unknown): UserFacingError {
    return this.connection.translate(error);
  }

  async startSession(request: StartSessionRequest): Promise<StartSessionResponse> {
    const { StartSessionCommand } = await import('@aws-sdk/client-ssm');
    try {
      const output = await this.client.send(new StartSessionCommand(request));
      if (!output.SessionId || !output.TokenValue || !output.StreamUrl) {
        throw new InvalidSessionRequestError(
          'IncompleteResponse',
          'StartSession returned no SessionId, TokenValue or StreamUrl.',
        );
      }
      return { SessionId: output.SessionId, TokenValue: output.TokenValue, StreamUrl: output.StreamUrl };
    } catch (error) {
      const name = errorName(error);
      if (name === 'TargetNotConnected') throw new TargetNotConnectedError(request.Target, error);
      if (INVALID_REQUEST_CODES.has(name))
        throw new InvalidSessionRequestError(name, errorText(error), error);
      throw this.translate(error);
    }
  }

  /** ResumeSession; errors that retrying cannot fix become SsmSessionErrors (which end the session). */
  async resumeSession(sessionId: string): Promise<ResumedSession> {
    const { ResumeSessionCommand } = await import('@aws-sdk/client-ssm');
    try {
      const output = await this.client.send(new ResumeSessionCommand({ SessionId: sessionId }));
      return { tokenValue: output.TokenValue ?? '', streamUrl: output.StreamUrl };
    } catch (error) {
      const name = errorName(error);
      if (GONE_CODES.has(name)) throw new SessionTimedOutError(sessionId);
      if (ACCESS_DENIED_CODES.has(name)) throw new ResumeDeniedError(sessionId, errorText(error), error);
      throw error;
    }
  }

  async terminateSession(sessionId: string): Promise<void> {
    const { TerminateSessionCommand } = await import('@aws-sdk/client-ssm');
    await this.client.send(new TerminateSessionCommand({ SessionId: sessionId }));
  }

  async upgradeSigner(): Promise<UpgradeSigner> {
    return createSigV4UpgradeSigner({
      region: this.region,
      credentials: await this.connection.clients.credentialProvider(),
    });
  }
}
