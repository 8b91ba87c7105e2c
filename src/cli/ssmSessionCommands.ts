import type { Logger, LogLevel } from '../util/logger';
import type { SessionOutlet } from '../ssm/runSession';
import { runSession } from '../ssm/runSession';
import { SsmApi } from '../ssm/ssmApi';
import type { CliIo } from './cliEnvironment';
import { exitCodeOfSessionEnd } from './exitCodes';
import { runSessionManagerPlugin } from './pluginRunner';
import type { SessionCommandOptions } from './ssmSessionArguments';
import { parsePluginContractArgs, parseSsmForwardArgs, parseSsmProxyArgs } from './ssmSessionArguments';
import { onEndSignals } from './interruptScope';
import { createStderrLogger } from './stderrLogger';

function stderrLogger(io: CliIo, options: { logLevel: LogLevel }): Logger {
  return createStderrLogger(options.logLevel, (text) => io.stderr.write(text));
}

/**
 * Calls StartSession for `options.request` and runs the session on `outlet` (or AWS's plugin with
 * --use-plugin) until it ends; returns the exit status. Errors before the session opens are thrown.
 */
async function runStartedSession(
  options: SessionCommandOptions,
  outlet: SessionOutlet,
  io: CliIo,
): Promise<number> {
  const log = stderrLogger(io, options);
  const api = await SsmApi.create(options, log, io.env);
  if (options.usePlugin) {
    const response = await api.startSession(options.request);
    return runSessionManagerPlugin({
      command: options.pluginCommand,
      response,
      request: options.request,
      region: api.region,
      profile: options.profile,
      ssmEndpoint: api.endpoint,
      env: io.env,
      log,
      terminate: () => api.terminateSession(response.SessionId),
    });
  }
  const signer = options.signUpgrade ? await api.upgradeSigner() : undefined;
  const end = await runSession({
    start: { request: options.request },
    calls: async () => api,
    outlet,
    whileOpen: onEndSignals,
    signer,
    maxPayloadSize: options.maxPayloadSize,
    log,
  });
  return exitCodeOfSessionEnd(end, log);
}

/** `sm-ssh ssm-proxy`: stdin/stdout tunnelled to a port of any SSM target (an ssh ProxyCommand). */
export function runSsmProxy(args: string[], io: CliIo): Promise<number> {
  const options = parseSsmProxyArgs(args, io.env);
  return runStartedSession(options, { kind: 'stdio', input: io.stdin, output: io.stdout }, io);
}

/** `sm-ssh ssm-forward`: a local port forwarded to a port of any SSM target. */
export function runSsmForward(args: string[], io: CliIo): Promise<number> {
  const options = parseSsmForwardArgs(args, io.env);
  return runStartedSession(
    options,
    {
      kind: 'forward',
      localPort: options.localPort,
      bindAddress: options.bindAddress,
      announce: (line) => io.stderr.write(`${line}\nWaiting for connections...\n`),
    },
    io,
  );
}

/**
 * session-manager-plugin's 6-argument contract (`aws ssm start-session` with our binary as the
 * plugin): the session is already started; a Standard_Stream session is piped to stdin/stdout,
 * a port forwarding one listens on 127.0.0.1.
 */
export async function runPluginContract(args: string[], io: CliIo): Promise<number> {
  const options = parsePluginContractArgs(args, io.env);
  const log = stderrLogger(io, options);
  let api: Promise<SsmApi> | undefined;
  const end = await runSession({
    start: { response: options.response },
    // The SDK is loaded only to resume or end the session.
    calls: () => (api ??= SsmApi.create(options.aws, log, io.env)),
    outlet: (mode) =>
      mode === 'stream'
        ? { kind: 'stdio', input: io.stdin, output: io.stdout }
        : {
            kind: 'forward',
            bindAddress: '127.0.0.1',
            announce: (line) => io.stderr.write(`${line}\nWaiting for connections...\n`),
          },
    whileOpen: onEndSignals,
    log,
  });
  return exitCodeOfSessionEnd(end, log);
}
