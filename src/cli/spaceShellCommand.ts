import type { ReadStream, WriteStream } from 'node:tty';
import type { AwsConnection } from '../aws/awsAccess';
import { openSpaceShell } from '../connect/spaceShell';
import type { SpaceShell } from '../connect/spaceShell';
import type { StudioSpaceTarget } from '../targets/studioSpace';
import type { Logger } from '../util/logger';
import type { CliIo } from './cliEnvironment';
import { cliConfigPaths, defaultStateDir } from './cliEnvironment';
import type { CliAwsOptions } from './cliTarget';
import { ExitCode } from './exitCodes';
import { onEndSignals } from './interruptScope';

function isTty(stream: NodeJS.ReadableStream | NodeJS.WritableStream): boolean {
  return (stream as Partial<ReadStream>).isTTY === true;
}

/** A terminal on both ends: raw mode, the size at start and on resize, restored however it ends. */
async function interactive(shell: SpaceShell, io: CliIo): Promise<number | undefined> {
  const stdin = io.stdin as ReadStream;
  const stdout = io.stdout as WriteStream;
  const onResize = (): void => shell.resize(stdout.columns || 80, stdout.rows || 24);
  stdout.on('resize', onResize);
  shell.channel.pipe(stdout, { end: false });
  stdin.setRawMode(true);
  stdin.pipe(shell.channel);
  const stopListening = onEndSignals(() => shell.close());
  try {
    return await shell.exited;
  } finally {
    stopListening();
    stdin.unpipe(shell.channel);
    stdin.setRawMode(false);
    stdin.pause();
    stdout.off('resize', onResize);
  }
}

/** stdin runs as a script in `sh`; stdout and stderr come back apart; the exit status is the shell's. */
async function piped(shell: SpaceShell, io: CliIo): Promise<number | undefined> {
  shell.channel.pipe(io.stdout, { end: false });
  shell.channel.stderr.pipe(io.stderr, { end: false });
  io.stdin.pipe(shell.channel);
  const stopListening = onEndSignals(() => shell.close());
  try {
    return await shell.exited;
  } finally {
    stopListening();
    io.stdin.unpipe(shell.channel);
  }
}

/**
 * `sm-ssh shell <space>.<domain>.space.sagemaker`: a space's session is a stream to its sshd, so
 * the shell runs over SSH on our own client (host key pinned, our key), as sagemaker-user.
 */
export async function runSpaceShell(
  options: CliAwsOptions,
  host: { readonly alias: string; readonly target: StudioSpaceTarget },
  connection: AwsConnection,
  io: CliIo,
  logger: Logger,
): Promise<number> {
  const tty = isTty(io.stdin) && isTty(io.stdout);
  const stdout = io.stdout as WriteStream;
  const shell = await openSpaceShell(
    {
      connection,
      stateDir: options.stateDir ?? defaultStateDir(io.env),
      knownHostsPath: cliConfigPaths(options, io.env).knownHosts,
      logger,
      surface: 'cli',
    },
    {
      ...host,
      pty: tty ? { cols: stdout.columns || 80, rows: stdout.rows || 24 } : undefined,
      command: tty ? undefined : 'sh',
    },
  ).catch((error: unknown) => {
    throw connection.translate(error);
  });
  const code = tty ? await interactive(shell, io) : await piped(shell, io);
  return code ?? ExitCode.ConnectionLost;
}
