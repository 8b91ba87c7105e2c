import type { AwsConnection } from '../aws/awsAccess';
import { listStudioOwnerEntries } from '../explorer/studioEntries';
import { listTrainingJobEntries } from '../explorer/trainingJobEntries';
import { listStudioDomains } from '../sagemaker/studio';
import { sshAliasFor } from '../connect/sshAlias';
import type { SshReadiness } from '../instances/matchSshNodes';
import type { SshTarget } from '../targets/sshTarget';
import type { CliIo } from '../ssm/cli/runCli';
import { UsageError } from '../ssm/cli/cliErrors';
import { errorMessage } from '../util/errors';
import type { Logger } from '../util/logger';
import { cliConnection, cliLogger } from './cliEnvironment';
import { awsFlags, awsOptionsOf, parseCommandArgs } from './cliTarget';
import type { CliAwsOptions } from './cliTarget';

function pingColumn(readiness: SshReadiness, node?: string): string {
  const found = node ? readiness.nodes.find((n) => n.name === node) : readiness.nodes[0];
  return found ? found.instance.pingStatus : 'ssh:NotFound';
}

/** The alias of a node, or undefined (logged) when its names cannot make one: one bad entry must not hide the rest. */
function aliasOrSkip(target: SshTarget, node: string | undefined, logger: Logger): string | undefined {
  try {
    return sshAliasFor(target, node);
  } catch (error) {
    const name = target.kind === 'training-job' ? target.jobName : target.appName;
    logger.warn(`Skipping ${name}${node ? ` (${node})` : ''}: ${errorMessage(error)}`);
    return undefined;
  }
}

async function trainingLines(connection: AwsConnection, logger: Logger): Promise<string[]> {
  const { entries } = await listTrainingJobEntries(connection, {
    filters: { createdWithinDays: 30 },
    pageSize: 100,
    pages: 10,
    onSkipped: (message) => logger.warn(message),
  });
  const lines: string[] = [];
  for (const { job, readiness } of entries) {
    const nodes = readiness.nodes.length ? readiness.nodes.map((n) => n.name) : [undefined];
    for (const node of nodes) {
      const alias = aliasOrSkip({ kind: 'training-job', jobName: job.name }, node, logger);
      if (alias) lines.push(`${pingColumn(readiness, node)}\ttraining\t${job.status}\t${alias}`);
    }
  }
  return lines;
}

async function studioLines(connection: AwsConnection, logger: Logger): Promise<string[]> {
  const domains = await listStudioDomains(await connection.clients.sagemaker());
  const lines: string[] = [];
  for (const domain of domains) {
    for (const owner of await listStudioOwnerEntries(connection, domain.id, { showDeleted: false })) {
      for (const { app, readiness } of owner.apps) {
        const target: SshTarget = {
          kind: 'app',
          appName: app.appName,
          ownerName: app.ownerName,
          domainId: app.domainId,
          appType: app.appType,
        };
        const alias = aliasOrSkip(target, undefined, logger);
        if (alias) lines.push(`${pingColumn(readiness)}\tide\t${app.status}\t${alias}`);
      }
    }
  }
  return lines;
}

function parseListArgs(args: string[]): CliAwsOptions & { suffix?: string } {
  const { values, positionals } = parseCommandArgs('list', args, awsFlags);
  if (positionals.length > 1) {
    throw new UsageError('list takes at most one alias suffix, e.g. sm-ssh list training.sagemaker');
  }
  return { suffix: positionals[0], ...awsOptionsOf(values) };
}

/** "in us-east-1 (profile dev)": where an empty listing looked. */
function whereLooked(connection: AwsConnection): string {
  const { profile, region } = connection.context;
  const who = profile.value ? `profile ${profile.value}` : 'default credentials';
  return `in ${region.value ?? 'no region'} (${who})`;
}

/**
 * `sm-ssh list [suffix] [--profile P] [--region R]`: like upstream, one line per resource — SSH
 * ping status, type, resource status, host alias — for training jobs of the last 30 days and
 * Studio apps. The optional suffix (`training.sagemaker`, `studio.sagemaker`,
 * `<domain>.studio.sagemaker`, …) filters the aliases. An empty result says so on stderr.
 */
export async function runList(args: string[], io: CliIo): Promise<number> {
  const { suffix, ...options } = parseListArgs(args);
  const logger = cliLogger(options, io.env, (text) => io.stderr.write(text));
  const connection = await cliConnection(options, logger, io.env);
  const wantTraining =
    !suffix || 'training.sagemaker'.endsWith(suffix) || suffix.endsWith('.training.sagemaker');
  const wantStudio = !suffix || suffix.endsWith('studio.sagemaker') || 'studio.sagemaker'.endsWith(suffix);
  try {
    const lines = [
      ...(wantTraining ? await trainingLines(connection, logger) : []),
      ...(wantStudio ? await studioLines(connection, logger) : []),
    ].filter((line) => !suffix || line.endsWith(suffix));
    if (lines.length) {
      io.stdout.write(`${lines.join('\n')}\n`);
    } else {
      const matching = suffix ? ` matching ${suffix}` : '';
      io.stderr.write(
        `No training jobs (last 30 days) or Studio apps with SSH${matching} ${whereLooked(connection)}.\n`,
      );
    }
    return 0;
  } catch (error) {
    throw connection.translate(error);
  }
}
