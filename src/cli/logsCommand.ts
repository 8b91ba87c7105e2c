import { formatLogLine } from '../logs/formatLogLine';
import { showTrainingJobLogs } from '../logs/trainingJobLogs';
import type { CliIo } from './cliEnvironment';
import { UsageError } from './cliErrors';
import { cliConnection, cliLogger } from './cliEnvironment';
import { nodeNameOf } from '../targets/sshTarget';
import { parseHostCommand } from './cliTarget';
import type { ParsedHostCommand } from './cliTarget';

const followFlags = new Set(['-f', '--follow']);

/** `-f` is ours; a bare job name (no dots) stands for `--training-job <name>`; the rest is parseHostCommand's. */
export function parseLogsCommand(args: string[]): {
  options: ParsedHostCommand;
  follow: boolean;
  node?: string;
} {
  const follow = args.some((arg) => followFlags.has(arg));
  const rest = args.filter((arg) => !followFlags.has(arg));
  const first = rest.find((arg) => !arg.startsWith('-'));
  const bareJob = first !== undefined && !first.includes('.') && !rest.includes('--training-job');
  const options = parseHostCommand('logs', bareJob ? [...rest, '--training-job', first] : rest);
  if (options.host.target.kind !== 'trainingNode') {
    throw new UsageError(
      `logs: ${options.host.alias} is a Studio app; only training jobs write to /aws/sagemaker/TrainingJobs.`,
    );
  }
  if (options.rest.length > 0) {
    throw new UsageError(`logs: unexpected argument ${options.rest[0]}.`);
  }
  const node =
    nodeNameOf(options.host.target) ?? (/^algo-1\./.test(options.host.alias) ? 'algo-1' : undefined);
  return { options, follow, node };
}

/**
 * `sm-ssh logs <host-or-job> [-f]`: the job's CloudWatch log lines (time, node, message) on stdout;
 * with -f it keeps following until the job has ended and its streams are drained.
 */
export async function runLogs(args: string[], io: CliIo): Promise<number> {
  const { options, follow, node } = parseLogsCommand(args);
  const logger = cliLogger(options, io.env, (text) => io.stderr.write(text));
  const connection = await cliConnection(options, logger, io.env);
  const target = options.host.target;
  const jobName = target.kind === 'trainingNode' ? target.jobName : '';
  try {
    const result = await showTrainingJobLogs({
      logs: await connection.clients.logs(),
      sagemaker: await connection.clients.sagemaker(),
      region: connection.clients.region,
      surface: connection.context.surface,
      jobName,
      node,
      follow,
      onEvent: (event) => io.stdout.write(`${formatLogLine(jobName, event)}\n`),
    });
    if (result.lines === 0) {
      io.stderr.write(`sm-ssh: ${jobName} has no log lines yet; run with -f to wait for them.\n`);
    }
    return 0;
  } catch (error) {
    throw connection.translate(error);
  }
}
