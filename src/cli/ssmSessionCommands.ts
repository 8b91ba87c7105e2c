import type { Readable, Writable } from 'node:stream';
import { errorMessage } from '../util/errors';
import type { Logger } from '../util/logger';
import { startPortForward } from '../ssm/portForward';
import type { SessionEnd, SsmSession } from '../ssm/ssmSession';
import { openSession } from '../ssm/ssmSession';
import { runStdioProxy } from '../ssm/stdioProxy';
import type { UpgradeSigner } from '../ssm/upgradeSigner';
import { CLIENT_VERSION } from '../ssm/version';
import type { CliCommand, CommonSessionOptions, StartSessionResponse } from './ssmSessionArguments';
import { parseCliArguments, USAGE } from './ssmSessionArguments';
import { ExitCode } from './exitCodes';
import { runSessionManagerPlugin } from './pluginRunner';
import { exitCodeOfError, exitCodeOfSessionEnd } from './sessionExit';
import { SsmApi } from '../ssm/ssmApi';
import { createStderrLogger } from './stderrLogger';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

/** How a started session is offered locally: on stdin/stdout, or on a local TCP port. */
export type Presentation = { kind: 'stdio' } | { kind: 'forward'; localPort?: number; bindAddress: string };

interface SessionRun {
  response: StartSessionResponse;
  /** Made lazily: the plugin contract needs the SDK only to resume or terminate. */
  api: () => Promise<SsmApi>;
  signer?: UpgradeSigner;
  presentation?: Presentation;
  startedAt: number;
  maxPayloadSize?: number;
}

const END_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function onEndSignals(handler: () => void): () => void {
  for (const signal of END_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of END_SIGNALS) process.off(signal, handler);
  };
}

function memoize<T>(create: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => (pending ??= create());
}

/** Opens the data channel and runs it as stdio or as a port forward, until the session ends. */
async function runSession(run: SessionRun, io: CliIo, log: Logger): Promise<SessionEnd> {
  const sessionId = run.response.SessionId;
  const session: SsmSession = await openSession({
    sessionId,
    streamUrl: run.response.StreamUrl,
    tokenValue: run.response.TokenValue,
    resume: async () => (await run.api()).resumeSession(sessionId),
    terminate: async () => (await run.api()).terminateSession(sessionId),
    signer: run.signer,
    log,
    tuning: run.maxPayloadSize ? { maxPayloadSize: run.maxPayloadSize } : undefined,
  });
  const ready = session.timings.handshakeCompletedAt ?? run.startedAt;
  log.debug(
    `Session ${sessionId} ready (${session.mode} mode) ${Math.round(ready - run.startedAt)} ms after StartSession.`,
  );
  const presentation: Presentation =
    run.presentation ??
    (session.mode === 'stream' ? { kind: 'stdio' } : { kind: 'forward', bindAddress: '127.0.0.1' });
  const stopListening = onEndSignals(() => void session.terminate());
  void session.ended.then(() => {
    const firstOutput = session.timings.firstOutputAt;
    const firstByte = firstOutput === undefined ? 'none' : `${Math.round(firstOutput - run.startedAt)} ms`;
    log.debug(
      `Session ${sessionId} statistics: ${JSON.stringify(session.stats)}, final RTO ${session.currentRto.toFixed(1)} ms, ` +
        `first byte from the target ${firstByte} after StartSession.`,
    );
  });
  try {
    if (presentation.kind === 'stdio') return await runStdioProxy(session, io.stdin, io.stdout, { log });
    const forward = await startPortForward(session, {
      localPort: presentation.localPort,
      host: presentation.bindAddress,
      log,
      announce: (line) => io.stderr.write(`${line}\nWaiting for connections...\n`),
    });
    return await forward.closed;
  } finally {
    stopListening();
  }
}

/**
 * Calls StartSession for `command.request` and runs the session (or AWS's plugin with --use-plugin)
 * until it ends; returns the exit status. Errors before the session opens are thrown.
 */
export async function runStartedSession(
  command: CommonSessionOptions,
  presentation: Presentation,
  io: CliIo,
  existing?: SsmApi,
): Promise<number> {
  const log = createStderrLogger(command.logLevel, (text) => io.stderr.write(text));
  const api = existing ?? (await SsmApi.create(command, log, io.env));
  const response = await api.startSession(command.request);
  const startedAt = performance.now();
  if (command.usePlugin) {
    return runSessionManagerPlugin({
      command: command.pluginCommand,
      response,
      request: command.request,
      region: api.region,
      profile: command.profile,
      ssmEndpoint: api.endpoint,
      env: io.env,
      log,
      terminate: () => api.terminateSession(response.SessionId),
    });
  }
  const signer = command.signUpgrade ? await api.upgradeSigner() : undefined;
  const end = await runSession(
    {
      response,
      api: async () => api,
      signer,
      presentation,
      startedAt,
      maxPayloadSize: command.maxPayloadSize,
    },
    io,
    log,
  );
  return exitCodeOfSessionEnd(end, log);
}

type PluginCommand = Extract<CliCommand, { kind: 'plugin' }>;

async function runPluginContract(command: PluginCommand, io: CliIo): Promise<number> {
  const log = createStderrLogger(command.logLevel, (text) => io.stderr.write(text));
  const api = memoize(() => SsmApi.create(command.aws, log, io.env));
  const end = await runSession({ response: command.response, api, startedAt: performance.now() }, io, log);
  return exitCodeOfSessionEnd(end, log);
}

async function dispatch(command: CliCommand, io: CliIo): Promise<number> {
  switch (command.kind) {
    case 'help':
      io.stdout.write(USAGE);
      return ExitCode.Ok;
    case 'version':
      io.stdout.write(`${CLIENT_VERSION}\n`);
      return ExitCode.Ok;
    case 'proxy':
      return runStartedSession(command.options, { kind: 'stdio' }, io);
    case 'forward':
      return runStartedSession(
        command.options,
        { kind: 'forward', localPort: command.options.localPort, bindAddress: command.options.bindAddress },
        io,
      );
    case 'plugin':
      return runPluginContract(command, io);
  }
}

/**
 * The `sm-ssh` command line: session commands, the session-manager-plugin argv contract, help and
 * version. Returns the exit status; in stdio mode nothing but tunnel bytes reaches `io.stdout`.
 */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(parseCliArguments(args, io.env), io);
  } catch (error) {
    io.stderr.write(`sm-ssh: ${errorMessage(error)}\n`);
    return exitCodeOfError(error);
  }
}
