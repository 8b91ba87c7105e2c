import type { ReadStream, WriteStream } from 'node:tty';
import { resolveSshNode } from '../connect/resolveTarget';
import { resolveHyperPodNode } from '../connect/resolveHyperPodNode';
import { remoteDebugSsmTarget } from '../targets/remoteDebugNode';
import { withRemoteDebugDiagnosis } from '../connect/remoteDebugErrors';
import { runPipedShell } from '../ssm/pipedShell';
import type { CliIo } from './cliEnvironment';
import { UsageError } from './cliErrors';
import { exitCodeOfSessionEnd } from './exitCodes';
import { SsmApi } from '../ssm/ssmApi';
import type { ShellEnd } from '../ssm/shellChannel';
import { ShellChannel } from '../ssm/shellChannel';
import { endOnService, startShellSession } from '../ssm/shellSessionStart';
import type { SsmSession } from '../ssm/ssmSession';
import type { Logger } from '../util/logger';
import { cliConnection, cliLogger } from './cliEnvironment';
import { awsFlags, awsOptionsOf, parseCommandArgs, parseHostCommand } from './cliTarget';
import type { CliAwsOptions } from './cliTarget';
import { onEndSignals } from './interruptScope';
import { runSpaceShell } from './spaceShellCommand';

/** An interactive shell gets Ctrl-C itself (raw mode); these end it from outside. */
const END_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];

interface ShellTarget extends CliAwsOptions {
  /** An SSM target as given (--target), or undefined to resolve `alias`. */
  readonly ssmTarget?: string;
  readonly resolve?: ReturnType<typeof parseHostCommand>;
}

/** `shell <alias> [host flags]` or `shell --target <ssm-target>`. */
function parseShellArgs(args: string[]): ShellTarget {
  if (!args.includes('--target') && !args.some((a) => a.startsWith('--target='))) {
    const parsed = parseHostCommand('shell', args);
    if (parsed.rest.length > 0) {
      throw new UsageError(
        `shell: unexpected arguments ${parsed.rest.join(' ')}; pipe commands on stdin instead.`,
      );
    }
    return { ...parsed, resolve: parsed };
  }
  const { values, positionals } = parseCommandArgs('shell', args, {
    ...awsFlags,
    target: { type: 'string' },
  });
  if (positionals.length > 0 || !values.target) {
    throw new UsageError('shell: give either a host alias or --target <ssm-target>, not both.');
  }
  return { ssmTarget: values.target, ...awsOptionsOf(values) };
}

function isTty(stream: NodeJS.ReadableStream | NodeJS.WritableStream): boolean {
  return (stream as Partial<ReadStream>).isTTY === true;
}

/**
 * A terminal on both ends: raw mode (every key, Ctrl-C included, goes to the remote shell), the
 * size at start and on every resize, the terminal restored however the session ends.
 */
async function runInteractive(session: SsmSession, io: CliIo): Promise<ShellEnd> {
  const stdin = io.stdin as ReadStream;
  const stdout = io.stdout as WriteStream;
  const size = (): { cols: number; rows: number } => ({
    cols: stdout.columns || 80,
    rows: stdout.rows || 24,
  });
  const shell = new ShellChannel(session, { write: (chunk) => stdout.write(chunk) }, size());
  const onResize = (): void => shell.resize(size());
  const onData = (chunk: Buffer): void => {
    if (!shell.input(chunk)) stdin.pause();
  };
  const onSignal = (): void => void shell.terminate();
  stdout.on('resize', onResize);
  process.on('SIGWINCH', onResize);
  for (const signal of END_SIGNALS) process.on(signal, onSignal);
  shell.onDrain(() => stdin.resume());
  stdin.setRawMode(true);
  stdin.on('data', onData);
  stdin.resume();
  try {
    return await shell.ended;
  } finally {
    stdin.off('data', onData);
    stdin.setRawMode(false);
    stdin.pause();
    stdout.off('resize', onResize);
    process.off('SIGWINCH', onResize);
    for (const signal of END_SIGNALS) process.off(signal, onSignal);
  }
}

async function runPiped(session: SsmSession, io: CliIo, log: Logger): Promise<number> {
  const stopListening = onEndSignals(() => void session.terminate());
  try {
    const result = await runPipedShell(session, io.stdin, io.stdout);
    if (result.unstartedOutput.trim()) {
      log.warn(`The shell ended before it ran the input; it printed: ${result.unstartedOutput.trim()}`);
    }
    if (result.end.kind === 'failed' || result.exitCode === undefined)
      return exitCodeOfSessionEnd(result.end, log);
    return result.exitCode;
  } finally {
    stopListening();
  }
}

/**
 * `sm-ssh shell <alias>`: a shell in the container through an SSM shell session, no ssh. With a
 * terminal on stdin it is interactive; with a pipe it runs stdin as a script and exits with the
 * shell's status (`echo hostname | sm-ssh shell my-job.training.sagemaker`).
 */
export async function runShell(args: string[], io: CliIo): Promise<number> {
  const options = parseShellArgs(args);
  const logger = cliLogger(options, io.env, (text) => io.stderr.write(text));
  const connection = await cliConnection(options, logger, io.env);
  const api = await SsmApi.forConnection(connection);
  api.warmUp();
  const host = options.resolve?.host;
  if (host?.target.kind === 'studioSpace') {
    return runSpaceShell(options, { alias: host.alias, target: host.target }, connection, io, logger);
  }
  let target = options.ssmTarget;
  if (!target) {
    const { target: sshTarget } = options.resolve!.host;
    try {
      target =
        sshTarget.kind === 'hyperPodNode'
          ? (await resolveHyperPodNode(connection, sshTarget)).ssmTarget
          : sshTarget.kind === 'remoteDebugNode'
            ? remoteDebugSsmTarget(sshTarget)
            : (await resolveSshNode(connection, sshTarget)).instance.instanceId;
    } catch (error) {
      throw connection.translate(error);
    }
  }
  const sshTarget = options.resolve?.host.target;
  const start = (): ReturnType<typeof startShellSession> => startShellSession(api, target!, { log: logger });
  const session =
    sshTarget?.kind === 'remoteDebugNode'
      ? await withRemoteDebugDiagnosis(connection, sshTarget, start)
      : await start();
  let code: number;
  if (isTty(io.stdin) && isTty(io.stdout)) {
    const end = await runInteractive(session, io);
    code = exitCodeOfSessionEnd(end, logger);
    await endOnService(api, session.sessionId, end);
    return code;
  }
  code = await runPiped(session, io, logger);
  const end = await session.ended;
  await endOnService(api, session.sessionId, end);
  return code;
}
