import type { LogLevel } from '../util/logger';
import type { AwsOptions, StartSessionRequest, StartSessionResponse } from '../ssm/ssmApi';
import { UsageError } from './cliErrors';
import { awsFlags, parseCommandArgs } from './cliTarget';
import { logLevelOf } from './stderrLogger';

/** What `ssm-proxy` and `ssm-forward` run: a StartSession request and how to run the session. */
export interface SessionCommandOptions extends AwsOptions {
  request: StartSessionRequest;
  usePlugin: boolean;
  pluginCommand: string;
  signUpgrade: boolean;
  logLevel: LogLevel;
  /** Largest Output payload we send (see SessionTuning.maxPayloadSize). */
  maxPayloadSize?: number;
}

export interface ForwardCommandOptions extends SessionCommandOptions {
  localPort?: number;
  bindAddress: string;
}

/** A session the AWS CLI started and handed over with session-manager-plugin's 6 arguments. */
export interface PluginContractOptions {
  response: StartSessionResponse;
  request: StartSessionRequest;
  aws: AwsOptions;
  logLevel: LogLevel;
}

const RESPONSE_ENV_PREFIX = 'AWS_SSM_START_SESSION_RESPONSE';
const MAX_PAYLOAD_LIMIT = 64 * 1024;

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

const sessionOptions = {
  ...awsFlags,
  target: { type: 'string' },
  document: { type: 'string' },
  'endpoint-url': { type: 'string' },
  reason: { type: 'string' },
  'use-plugin': { type: 'boolean', default: false },
  'plugin-path': { type: 'string' },
  sign: { type: 'boolean', default: false },
  'max-payload-size': { type: 'string' },
} as const;

const proxyOptions = { ...sessionOptions, port: { type: 'string', short: 'p' } } as const;

const forwardOptions = {
  ...sessionOptions,
  'remote-port': { type: 'string' },
  'local-port': { type: 'string' },
  host: { type: 'string' },
  bind: { type: 'string' },
} as const;

type SessionValues = ReturnType<typeof parseCommandArgs<typeof sessionOptions>>['values'];

/** The flags every session command takes; --target is required, positionals are not taken. */
function parseSessionFlags<T extends typeof sessionOptions>(
  command: string,
  args: string[],
  options: T,
): ReturnType<typeof parseCommandArgs<T>>['values'] & { target: string } {
  const { values, positionals } = parseCommandArgs(command, args, options);
  if (positionals.length > 0) {
    throw new UsageError(`${command}: unexpected argument "${positionals[0]}".`);
  }
  const target = (values as SessionValues).target;
  if (!target)
    throw new UsageError(
      '--target is required (an instance id i-…, a managed node mi-…, or a SageMaker target).',
    );
  return { ...values, target };
}

function commonOptions(
  values: SessionValues,
  request: StartSessionRequest,
  env: NodeJS.ProcessEnv,
  defaultLevel: LogLevel,
): SessionCommandOptions {
  return {
    request,
    profile: values.profile,
    region: values.region,
    endpointUrl: values['endpoint-url'],
    usePlugin: values['use-plugin'] === true,
    pluginCommand: values['plugin-path'] ?? 'session-manager-plugin',
    signUpgrade: values.sign === true,
    logLevel: logLevelOf(values.verbose ? 'debug' : values['log-level'], env, defaultLevel),
    maxPayloadSize: parsePayloadSize(values['max-payload-size'] ?? env.SM_SSH_MAX_PAYLOAD_SIZE),
  };
}

/** `ssm-proxy --target T [--port 22] …`: an AWS-StartSSHSession request. */
export function parseSsmProxyArgs(args: string[], env: NodeJS.ProcessEnv): SessionCommandOptions {
  const values = parseSessionFlags('ssm-proxy', args, proxyOptions);
  const port = parsePort('port', values.port) ?? 22;
  const request: StartSessionRequest = {
    Target: values.target,
    DocumentName: values.document ?? 'AWS-StartSSHSession',
    Parameters: { portNumber: [String(port)] },
    Reason: values.reason,
  };
  return commonOptions(values, request, env, 'warn');
}

/** `ssm-forward --target T --remote-port N [--local-port M] [--host H] …`: a port forwarding request. */
export function parseSsmForwardArgs(args: string[], env: NodeJS.ProcessEnv): ForwardCommandOptions {
  const values = parseSessionFlags('ssm-forward', args, forwardOptions);
  const remotePort = parsePort('remote-port', values['remote-port']);
  if (remotePort === undefined) throw new UsageError('--remote-port is required.');
  const localPort = parsePort('local-port', values['local-port'], true);
  const host = values.host;
  const parameters: Record<string, string[]> = {
    portNumber: [String(remotePort)],
    localPortNumber: [String(localPort ?? 0)],
  };
  if (host) parameters.host = [host];
  const request: StartSessionRequest = {
    Target: values.target,
    DocumentName:
      values.document ??
      (host ? 'AWS-StartPortForwardingSessionToRemoteHost' : 'AWS-StartPortForwardingSession'),
    Parameters: parameters,
    Reason: values.reason,
  };
  return {
    ...commonOptions(values, request, env, 'info'),
    localPort,
    bindAddress: values.bind ?? '127.0.0.1',
  };
}

/** Whether argv is session-manager-plugin's contract (as `aws ssm start-session` runs the plugin). */
export function isPluginContract(args: readonly string[]): boolean {
  return args.length === 6 && args[2] === 'StartSession';
}

/**
 * The session-manager-plugin contract: `<response-json | AWS_SSM_START_SESSION_RESPONSE> <region>
 * StartSession <profile> <request-json> <ssm-endpoint>`. The environment variable form is read and
 * then removed from `env`, as the plugin does.
 */
export function parsePluginContractArgs(args: string[], env: NodeJS.ProcessEnv): PluginContractOptions {
  const [first = '', region, , profile, requestJson = '', endpoint] = args;
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
    response: response as StartSessionResponse,
    request: request as StartSessionRequest,
    aws: { region: region || undefined, profile: profile || undefined, endpointUrl: endpoint || undefined },
    logLevel: logLevelOf(undefined, env, 'warn'),
  };
}

export const SESSION_USAGE = `  sm-ssh ssm-proxy   --target <i-…|mi-…|sagemaker-…> [--port 22] [--document AWS-StartSSHSession]
                     [--profile P] [--region R] [--endpoint-url URL] [--use-plugin] [--sign] [-v]
      Tunnel stdin/stdout to the target's port (use as an ssh ProxyCommand).
  sm-ssh ssm-forward --target <…> --remote-port N [--local-port M] [--host H] [--bind 127.0.0.1]
                     [--document …] [--profile P] [--region R] [--endpoint-url URL] [--use-plugin] [-v]
      Listen on 127.0.0.1:M and forward each connection to port N on the target (or on host H).
  sm-ssh <StartSession-response-json> <region> StartSession <profile> <request-json> <ssm-endpoint>
      Drop-in for session-manager-plugin (as run by "aws ssm start-session").
`;
