import type { AwsConnection } from '../aws/awsAccess';
import { listStudioOwnerEntries } from '../explorer/studioEntries';
import { listTrainingJobEntries } from '../explorer/trainingJobEntries';
import { listStudioDomains } from '../sagemaker/studio';
import { sshAliasFor } from '../connect/sshAlias';
import type { SshReadiness } from '../instances/matchSshNodes';
import type { CliIo } from '../ssm/cli/run-cli';
import { UsageError } from '../ssm/cli/cli-errors';
import { cliConnection, cliLogger } from './cliEnvironment';

function pingColumn(readiness: SshReadiness, node?: string): string {
  const found = node ? readiness.nodes.find((n) => n.name === node) : readiness.nodes[0];
  return found ? found.instance.pingStatus : 'ssh:NotFound';
}

async function trainingLines(connection: AwsConnection): Promise<string[]> {
  const { entries } = await listTrainingJobEntries(connection, {
    filters: { createdWithinDays: 30 },
    pageSize: 100,
    pages: 10,
  });
  const lines: string[] = [];
  for (const { job, readiness } of entries) {
    const nodes = readiness.nodes.length ? readiness.nodes.map((n) => n.name) : [undefined];
    for (const node of nodes) {
      const alias = sshAliasFor({ kind: 'training-job', jobName: job.name }, node);
      lines.push(`${pingColumn(readiness, node)}\ttraining\t${job.status}\t${alias}`);
    }
  }
  return lines;
}

async function studioLines(connection: AwsConnection): Promise<string[]> {
  const domains = await listStudioDomains(await connection.clients.sagemaker());
  const lines: string[] = [];
  for (const domain of domains) {
    for (const owner of await listStudioOwnerEntries(connection, domain.id, { showDeleted: false })) {
      for (const { app, readiness } of owner.apps) {
        const alias = sshAliasFor({
          kind: 'app',
          appName: app.appName,
          ownerName: app.ownerName,
          domainId: app.domainId,
          appType: app.appType,
        });
        lines.push(`${pingColumn(readiness)}\tide\t${app.status}\t${alias}`);
      }
    }
  }
  return lines;
}

/**
 * `sm-ssh list [suffix]`: like upstream, one line per resource — SSH ping status, type, resource
 * status, host alias — for training jobs of the last 30 days and Studio apps. The optional suffix
 * (`training.sagemaker`, `studio.sagemaker`, `<domain>.studio.sagemaker`, …) filters the aliases.
 */
export async function runList(args: string[], io: CliIo): Promise<number> {
  const [suffix, ...extra] = args.filter((a) => !a.startsWith('-'));
  if (extra.length) {
    throw new UsageError('list takes at most one alias suffix, e.g. sm-ssh list training.sagemaker');
  }
  const logger = cliLogger({}, io.env, (text) => io.stderr.write(text));
  const connection = await cliConnection({}, logger, io.env);
  const wantTraining =
    !suffix || 'training.sagemaker'.endsWith(suffix) || suffix.endsWith('.training.sagemaker');
  const wantStudio = !suffix || suffix.endsWith('studio.sagemaker') || 'studio.sagemaker'.endsWith(suffix);
  try {
    const lines = [
      ...(wantTraining ? await trainingLines(connection) : []),
      ...(wantStudio ? await studioLines(connection) : []),
    ].filter((line) => !suffix || line.endsWith(suffix));
    io.stdout.write(lines.length ? `${lines.join('\n')}\n` : '');
    return 0;
  } catch (error) {
    throw connection.translate(error);
  }
}
