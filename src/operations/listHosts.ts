import type { AwsConnection } from '../aws/awsAccess';
import { listStudioOwnerEntries } from '../explorer/studioEntries';
import type { StudioOwnerEntry } from '../explorer/studioEntries';
import { studioSpaceTarget } from '../targets/studioSpace';
import { listTrainingJobEntries } from '../explorer/trainingJobEntries';
import { listPayloadResourceEntries } from '../explorer/payloadResourceEntries';
import type { PayloadResourceType } from '../targets/payloadResource';
import { payloadResourceTarget } from '../targets/payloadResource';
import type { SshReadiness } from '../instances/matchSshNodes';
import { listStudioDomains } from '../sagemaker/studio';
import { hyperPodRows } from './listHyperPodHosts';
import type { SshTarget } from '../targets/sshTarget';
import { describeTarget, studioAppTarget, trainingNodeTarget } from '../targets/sshTarget';
import { targetAlias } from '../targets/targetAlias';
import { remoteDebugNodeTarget } from '../targets/remoteDebugNode';
import { RemoteDebugStates } from '../sagemaker/remoteDebugStates';
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
  /** Processing and transform jobs (last 30 days), endpoints, notebook instances. */
  readonly payloadTypes?: readonly PayloadResourceType[];
  /** HyperPod cluster nodes (default false). */
  readonly hyperPod?: boolean;
  readonly logger: Logger;
}

/** The ping column of a remote-debug node: SageMaker's agent has no status we can read (no mi- instance). */
export const REMOTE_DEBUG_PING = 'SSM:debug';

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
    remoteDebug: new RemoteDebugStates(),
  });
  return entries.flatMap(({ job, readiness }) => {
    const debugRows = job.remoteDebug
      ? Array.from({ length: job.instanceCount ?? 1 }, (_, i) =>
          rowOrSkip(remoteDebugNodeTarget(job.name, i + 1), REMOTE_DEBUG_PING, job.status, logger),
        ).flat()
      : [];
    if (debugRows.length > 0 && readiness.nodes.length === 0) return debugRows;
    const nodes = readiness.nodes.length ? readiness.nodes.map((n) => n.name) : [undefined];
    return [
      ...nodes.flatMap((node) =>
        rowOrSkip(trainingNodeTarget(job.name, node), pingOf(readiness, node), job.status, logger),
      ),
      ...debugRows,
    ];
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

/** A row per node (or one row when no container registered), as for training jobs. */
async function payloadRows(
  connection: AwsConnection,
  resourceType: PayloadResourceType,
  logger: Logger,
): Promise<SshHostRow[]> {
  const isJob = resourceType === 'processing' || resourceType === 'transform';
  const entries = await listPayloadResourceEntries(connection, resourceType, {
    createdWithinDays: isJob ? 30 : undefined,
    onSkipped: (message) => logger.warn(message),
  });
  return entries.flatMap(({ resource, readiness }) => {
    const nodes = readiness.nodes.length ? readiness.nodes.map((n) => n.name) : [undefined];
    return nodes.flatMap((node) =>
      rowOrSkip(
        payloadResourceTarget(resourceType, resource.name, nodeNumber(node)),
        pingOf(readiness, node),
        resource.status,
        logger,
      ),
    );
  });
}

/** 2 for algo-2; undefined for algo-1 and for names that are no node number (one row per registration). */
function nodeNumber(node: string | undefined): number | undefined {
  const match = node === undefined ? null : /^algo-([1-9][0-9]{0,3})$/.exec(node);
  return match ? Number(match[1]) : undefined;
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
    ...(
      await Promise.all(
        (request.payloadTypes ?? []).map((type) => payloadRows(connection, type, request.logger)),
      )
    ).flat(),
    ...(request.hyperPod ? await hyperPodRows(connection, request.logger) : []),
  ];
}
