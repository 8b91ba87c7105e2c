import { parseArgs } from 'node:util';
import type { LogLevel } from '../util/logger';
import { UsageError } from './cliErrors';
import { parseLogLevel } from './stderrLogger';

/** What `StartSession` is asked for (the AWS CLI passes the same shape to the plugin). */
export interface StartSessionRequest {
  Target: string;
  DocumentName?: string;
  Parameters?: Record<string, string[]>;
  Reason?: string;
}

export interface StartSessionResponse {
  SessionId: string;
  TokenValue: string;
  StreamUrl: string;
}

export interface AwsOptions {
  profile?: string;
  region?: string;
  /** SSM endpoint override (otherwise AWS_ENDPOINT_URL[_SSM] / profile endpoint_url apply). */
  endpointUrl?: string;
}

export interface CommonSessionOptions extends AwsOptions {
  request: StartSessionRequest;
  usePlugin: boolean;
  pluginCommand: string;
  signUpgrade: boolean;
  logLevel: LogLevel;
  /** Largest Output payload we send (see SessionTuning.maxPayloadSize). */
  maxPayloadSize?: number;
}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'proxy'; options: CommonSessionOptions }
  | { kind: 'forward'; options: CommonSessionOptions & { localPort?: number; bindAddress: string } }
  | {
      kind: 'plugin';
      response: StartSessionResponse;
      request: StartSessionRequest;
      aws: AwsOptions;
      logLevel: LogLevel;
    };

const RESPONSE_ENV_PREFIX = 'AWS_SSM_START_SESSION_RESPONSE';

function parsePort(name: string, text: string | undefined, allowZero = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1) || value > 65535) {
    throw new UsageError(
      `--${name} must be a port number${allowZero ? ' (0 for any free port)' : ''}, not "${text}".`,
    );
  }
  return value;
}

const MAX_PAYLOAD_LIMIT = 64 * 1024;

function parsePayloadSize(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAYLOAD_LIMIT) {
    throw new UsageError(`--max-payload-size must be 1 to ${MAX_PAYLOAD_LIMIT} bytes, not "${text}".`);
  }
  return value;
}

function parseJson<T>(what: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new UsageError(`${what} is not valid JSON.`);
  }
}

const SESSION_OPTIONS = {
  target: { type: 'string' },
  document: { type: 'string' },
  profile: { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  reason: { type: 'string' },
  'use-plugin': { type: 'boolean', default: false },
  'plugin-path': { type: 'string' },
  sign: { type: 'boolean', default: false },
  verbose: { type: 'boolean', short: 'v', default: false },
  'log-level': { type: 'string' },
  'max-payload-size': { type: 'string' },
} as const;

function logLevelOf(
  values: { verbose?: boolean; 'log-level'?: string },
  fallback: LogLevel,
  env: NodeJS.ProcessEnv,
): LogLevel {
  if (values.verbose) return 'debug';
  const requested = values['log-level'] ?? env.SM_SSH_LOG_LEVEL;
  if (requested === undefined) return fallback;
  const level = parseLogLevel(requested);
  if (!level)
    throw new UsageError(`Unknown log level "${requested}" (use trace, debug, info, warn or error).`);
  return level;
}

type OptionSpecs = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

function parseSessionCommand(
  args: string[],
  extra: OptionSpecs,
): { values: Record<string, string | boolean | undefined>; target: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...SESSION_OPTIONS, ...extra },
      allowPositionals: false,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const target = values.target as string | undefined;
  if (!target)
    throw new UsageError(
      '--target is required (an instance id i-…, a managed node mi-…, or a SageMaker target).',
    );
  return { values, target };
}

function commonOptions(
  values: Record<string, string | boolean | undefined>,
  request: StartSessionRequest,
  env: NodeJS.ProcessEnv,
  defaultLevel: LogLevel,
): CommonSessionOptions {
  return {
    request,
    profile: values.profile as string | undefined,
    region: values.region as string | undefined,
    endpointUrl: values['endpoint-url'] as string | undefined,
    usePlugin: values['use-plugin'] === true,
    pluginCommand: (values['plugin-path'] as string | undefined) ?? 'session-manager-plugin',
    signUpgrade: values.sign === true,
    logLevel: logLevelOf(values, defaultLevel, env),
    maxPayloadSize: parsePayloadSize(
      (values['max-payload-size'] as string | undefined) ?? env.SM_SSH_MAX_PAYLOAD_SIZE,
    ),
  };
}

function parseProxy(args: string[], env: NodeJS.ProcessEnv): CliCommand {
  const { values, target } = parseSessionCommand(args, { port: { type: 'string', short: 'p' } });
  const port = parsePort('port', values.port as string | undefined) ?? 22;
  const request: StartSessionRequest = {
    Target: target,
    DocumentName: (values.document as string | undefined) ?? 'AWS-StartSSHSession',
    Parameters: { portNumber: [String(port)] },
    Reason: values.reason as string | undefined,
  };
  return { kind: 'proxy', options: commonOptions(values, request, env, 'warn') };
}

function parseForward(args: string[], env: NodeJS.ProcessEnv): CliCommand {
  const { values, target } = parseSessionCommand(args, {
    'remote-port': { type: 'string' },
    'local-port': { type: 'string' },
    host: { type: 'string' },
    bind: { type: 'string' },
  });
  const remotePort = parsePort('remote-port', values['remote-port'] as string | undefined);
  if (remotePort === undefined) throw new UsageError('--remote-port is required.');
  const localPort = parsePort('local-port', values['local-port'] as string | undefined, true);
  const host = values.host as string | undefined;
  const parameters: Record<string, string[]> = {
    portNumber: [String(remotePort)],
    localPortNumber: [String(localPort ?? 0)],
  };
  if (host) parameters.host = [host];
  const request: StartSessionRequest = {
    Target: target,
    DocumentName:
      (values.document as string | undefined) ??
      (host ? 'AWS-StartPortForwardingSessionToRemoteHost' : 'AWS-StartPortForwardingSession'),
    Parameters: parameters,
    Reason: values.reason as string | undefined,
  };
  return {
    kind: 'forward',
    options: {
      ...commonOptions(values, request, env, 'info'),
      localPort,
      bindAddress: (values.bind as string | undefined) ?? '127.0.0.1',
    },
  };
}

/**
 * The session-manager-plugin contract: `<response-json | AWS_SSM_START_SESSION_RESPONSE> <region>
 * StartSession <profile> <request-json> <ssm-endpoint>`. The environment variable form is read and
 * then removed from `env`, as the plugin does.
 */
function parsePluginContract(args: string[], env: NodeJS.ProcessEnv): CliCommand {
  const [first, region, , profile, requestJson, endpoint] = args;
  let responseJson = first;
  if (first.startsWith(RESPONSE_ENV_PREFIX)) {
    responseJson = env[first] ?? '';
    delete env[first];
    if (!responseJson) throw new UsageError(`The environment variable ${first} is empty.`);
  }
  const response = parseJson<Partial<StartSessionResponse>>(
    'The StartSession response argument',
    responseJson,
  );
  if (!response.SessionId || !response.TokenValue || !response.StreamUrl) {
    throw new UsageError('The StartSession response must contain SessionId, TokenValue and StreamUrl.');
  }
  const request = parseJson<Partial<StartSessionRequest>>('The StartSession request argument', requestJson);
  if (typeof request.Target !== 'string' || !request.Target) {
    throw new UsageError('The StartSession request argument has no Target.');
  }
  return {
    kind: 'plugin',
    response: response as StartSessionResponse,
    request: request as StartSessionRequest,
    aws: { region: region || undefined, profile: profile || undefined, endpointUrl: endpoint || undefined },
    logLevel: logLevelOf({}, 'warn', env),
  };
}

export function parseCliArguments(args: string[], env: NodeJS.ProcessEnv): CliCommand {
  const [command, ...rest] = args;
  if (args.length === 6 && args[2] === 'StartSession') return parsePluginContract(args, env);
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { kind: 'help' };
    case 'version':
    case '--version':
      return { kind: 'version' };
    case 'ssm-proxy':
      return parseProxy(rest, env);
    case 'ssm-forward':
      return parseForward(rest, env);
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

export const USAGE = `Usage:
  sm-ssh ssm-proxy   --target <i-…|mi-…|sagemaker-…> [--port 22] [--document AWS-StartSSHSession]
                     [--profile P] [--region R] [--endpoint-url URL] [--use-plugin] [--sign] [-v]
      Tunnel stdin/stdout to the target's port (use as an ssh ProxyCommand).
  sm-ssh ssm-forward --target <…> --remote-port N [--local-port M] [--host H] [--bind 127.0.0.1]
                     [--document …] [--profile P] [--region R] [--endpoint-url URL] [--use-plugin] [-v]
      Listen on 127.0.0.1:M and forward each connection to port N on the target (or on host H).
  sm-ssh <StartSession-response-json> <region> StartSession <profile> <request-json> <ssm-endpoint>
      Drop-in for session-manager-plugin (as run by "aws ssm start-session").

Exit codes: 0 ok, 2 usage, 3 target not connected, 4 access denied, 5 session timed out,
            6 handshake failed, 7 connection lost, 8 session closed with an error, 9 invalid request.
Environment: SM_SSH_LOG_LEVEL=trace|debug|info|warn|error.
`;
