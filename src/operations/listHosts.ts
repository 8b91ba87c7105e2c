import type { AwsConnection } from '../aws/awsAccess';
import { listStudioOwnerEntries } from '../explorer/studioEntries';
import type { StudioOwnerEntry } from '../explorer/studioEntries';
import { studioSpaceTarget } from '../targets/studioSpace';
import { listTrainingJobEntries } from '../explorer/trainingJobEntries';
import type { SshReadiness } from '../instances/matchSshNodes';
import { listStudioDomains } from '../sagemaker/studio';
import type { SshTarget } from '../targets/sshTarget';
import { describeTarget, studioAppTarget, trainingNodeTarget } from '../targets/sshTarget';
import { targetAlias } from '../targets/targetAlias';
import { errorMessage } from '../util/errors';
import type { Logger } from '../util/logger';

/** One host `sm-ssh list` shows: a node of a training job, or a Studio app. */
export interface SshHostRow {
  readonly target: SshTarget;
  readonly alias: string;
  /** The node's SSM ping status (Online, ConnectionLost…), or `ssh:NotFound` when it never registered. */
  readonly ping: string;
  /** The job's or app's own status (InProgress, InService…). */
  readonly status: string;
}

export interface ListHostsRequest {
  readonly training: boolean;
  readonly studio: boolean;
  readonly logger: Logger;
}

function pingOf(readiness: SshReadiness, node?: string): string {
  const found = node ? readiness.nodes.find((n) => n.name === node) : readiness.nodes[0];
  return found ? found.instance.pingStatus : 'ssh:NotFound';
}

/** A row, or undefined (logged) when the names make no alias: one bad entry must not hide the rest. */
function rowOrSkip(target: SshTarget, ping: string, status: string, logger: Logger): SshHostRow[] {
  try {
    return [{ target, alias: targetAlias(target), ping, status }];
  } catch (error) {
    logger.warn(`Skipping ${describeTarget(target)}: ${errorMessage(error)}`);
    return [];
  }
}

async function trainingRows(connection: AwsConnection, logger: Logger): Promise<SshHostRow[]> {
  const { entries } = await listTrainingJobEntries(connection, {
    filters: { createdWithinDays: 30 },
    pageSize: 100,
    pages: 10,
    onSkipped: (message) => logger.warn(message),
  });
  return entries.flatMap(({ job, readiness }) => {
    const nodes = readiness.nodes.length ? readiness.nodes.map((n) => n.name) : [undefined];
    return nodes.flatMap((node) =>
      rowOrSkip(trainingNodeTarget(job.name, node), pingOf(readiness, node), job.status, logger),
    );
  });
}

/** A space with remote access is a host of its own (sagemaker:StartSession), running or not. */
function spaceRows(entry: StudioOwnerEntry, logger: Logger): SshHostRow[] {
  const { owner, apps } = entry;
  if (owner.kind !== 'space' || !owner.remoteAccess) return [];
  const status = apps.find((a) => a.app.status !== 'Deleted')?.app.status ?? 'Stopped';
  return rowOrSkip(studioSpaceTarget(owner.domainId, owner.name), 'RemoteAccess', status, logger);
}

async function studioRows(connection: AwsConnection, logger: Logger): Promise<SshHostRow[]> {
  const domains = await listStudioDomains(await connection.clients.sagemaker());
  const rows: SshHostRow[] = [];
  for (const domain of domains) {
    for (const owner of await listStudioOwnerEntries(connection, domain.id, { showDeleted: false })) {
      rows.push(...spaceRows(owner, logger));
      for (const { app, readiness } of owner.apps) {
        rows.push(...rowOrSkip(studioAppTarget(app), pingOf(readiness), app.status, logger));
      }
    }
  }
  return rows;
}

/**
 * The hosts of training jobs of the last 30 days (a row per node) and of Studio apps, read through
 * the same listings as the views (explorer/), so both show the same registrations and aliases.
 */
export async function listSshHosts(
  connection: AwsConnection,
  request: ListHostsRequest,
): Promise<SshHostRow[]> {
  return [
    ...(request.training ? await trainingRows(connection, request.logger) : []),
    ...(request.studio ? await studioRows(connection, request.logger) : []),
  ];
}
