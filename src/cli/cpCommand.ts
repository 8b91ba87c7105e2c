import * as path from 'node:path';
import type { CliIo } from './cliEnvironment';
import { UsageError } from './cliErrors';
import type { ProgressView } from '../transfer/progress';
import { TargetHost } from '../transfer/targetTransfer';
import type { Direction } from '../transfer/transferPlan';
import { DEFAULT_MAX_SESSIONS, MAX_SESSIONS_LIMIT } from '../transfer/stripes';
import { TransferCancelledError } from '../transfer/transferErrors';
import { cliConfigPaths, cliConnection, cliLogger, defaultStateDir } from './cliEnvironment';
import { cliProxyInstall } from '../proxy/cliProxyInstall';
import type { CliHostTarget } from './cliTarget';
import { awsFlags, awsOptionsOf, parseCommandArgs, hostOfAlias } from './cliTarget';

/** A remote operand: `<alias>:<path>`, the alias one of our SageMaker host names. */
const REMOTE_OPERAND = /^([^\s/:]+\.sagemaker):(.*)$/;
const REDRAW_MS = 250;

export interface CpArguments {
  readonly direction: Direction;
  readonly host: CliHostTarget;
  readonly remotePath: string;
  readonly localPath: string;
  readonly sessions: number;
  readonly recursive: boolean;
  readonly profile?: string;
  readonly region?: string;
  readonly logLevel?: string;
  readonly stateDir?: string;
  readonly sshConfig?: string;
}

/** `cp [-P N] [-r] <alias>:<remote> <local>` or `cp [-P N] [-r] <local> <alias>:<remote>`. */
export function parseCpArguments(args: string[]): CpArguments {
  const { values, positionals } = parseCommandArgs('cp', args, {
    ...awsFlags,
    'state-dir': { type: 'string' },
    'ssh-config': { type: 'string' },
    parallel: { type: 'string', short: 'P' },
    recursive: { type: 'boolean', short: 'r' },
  });
  if (positionals.length !== 2) {
    throw new UsageError(
      'cp needs a source and a target, e.g. sm-ssh cp my-job.training.sagemaker:/opt/ml/model ./model.',
    );
  }
  const [source, target] = positionals as [string, string];
  const remoteSource = REMOTE_OPERAND.exec(source);
  const remoteTarget = REMOTE_OPERAND.exec(target);
  if (!remoteSource === !remoteTarget) {
    throw new UsageError(
      'cp copies between this machine and one host: exactly one of source and target must be <host>:<path>, ' +
        'e.g. sm-ssh cp ./data my-job.training.sagemaker:/tmp/data.',
    );
  }
  const remote = (remoteSource ?? remoteTarget)!;
  const sessions = values.parallel === undefined ? DEFAULT_MAX_SESSIONS : Number(values.parallel);
  if (!Number.isInteger(sessions) || sessions < 1 || sessions > MAX_SESSIONS_LIMIT) {
    throw new UsageError(
      `cp: -P must be a whole number from 1 to ${MAX_SESSIONS_LIMIT}, not "${values.parallel}".`,
    );
  }
  return {
    direction: remoteSource ? 'download' : 'upload',
    host: hostOfAlias(remote[1]!),
    remotePath: remote[2] || '.',
    localPath: path.resolve(remoteSource ? target : source),
    sessions,
    recursive: values.recursive ?? false,
    ...awsOptionsOf(values),
    stateDir: values['state-dir'],
    sshConfig: values['ssh-config'],
  };
}

/** Progress on a terminal: one line redrawn in place, at most every 250 ms. */
function progressReporter(io: CliIo): { update(view: ProgressView): void; finish(): void } {
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  let drawnAt = 0;
  let drawn = false;
  return {
    update: (view) => {
      const now = performance.now();
      if (!tty || now - drawnAt < REDRAW_MS) return;
      drawnAt = now;
      io.stderr.write(`\r\x1b[2K${view.line}`);
      drawn = true;
    },
    finish: () => {
      if (tty && drawn) io.stderr.write('\r\x1b[2K');
    },
  };
}

/**
 * `sm-ssh cp`: copies a file or folder to or from a container, striped over up to -P SSM sessions
 * (SFTP over our own Session Manager client), SHA-256 verified, resumable. The host is prepared as
 * `sm-ssh connect` prepares it when it was never connected (TargetHost, shared with the extension).
 */
export async function runCp(args: string[], io: CliIo): Promise<number> {
  const options = parseCpArguments(args);
  const logger = cliLogger(options, io.env, (text) => io.stderr.write(text));
  const stateDir = options.stateDir ?? defaultStateDir(io.env);
  const configPaths = cliConfigPaths(options, io.env);
  const connection = await cliConnection(options, logger, io.env);
  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  const reporter = progressReporter(io);
  try {
    const host = await TargetHost.open(
      { connection, install: cliProxyInstall(stateDir), configPaths, logger },
      options.host.target,
      { alias: options.host.alias, onWaiting: (message) => logger.info(message) },
    );
    const outcome = await host.copy({
      direction: options.direction,
      remotePath: options.remotePath,
      localPath: options.localPath,
      recursive: options.recursive,
      maxSessions: options.sessions,
      signal: controller.signal,
      onProgress: (view) => reporter.update(view),
    });
    reporter.finish();
    io.stderr.write(`${outcome.summary}\n`);
    return 0;
  } catch (error) {
    reporter.finish();
    if (error instanceof TransferCancelledError) {
      io.stderr.write(`sm-ssh: ${error.message}\n`);
      return 130;
    }
    // AWS calls' failures get the usual advice; our own typed errors pass as they are.
    throw error instanceof Error && '$metadata' in error ? connection.translate(error) : error;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}
