import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { AwsConnection } from '../aws/awsAccess';
import { findSshInstances } from '../instances/findSshInstances';
import { nameNodesOfJobs } from '../instances/targetInstances';
import type { SshInstance } from '../instances/sshInstance';
import { readinessOf, sshNodesFor } from '../instances/matchSshNodes';
import type { SshReadiness } from '../instances/matchSshNodes';
import type { TrainingJobQuery } from '../sagemaker/searchTrainingJobs';
import { searchTrainingJobs } from '../sagemaker/searchTrainingJobs';
import type { RemoteDebugStates } from '../sagemaker/remoteDebugStates';
import type { TrainingJob } from '../sagemaker/trainingJob';
import { trainingNodeTarget } from '../targets/sshTarget';
import type { TrainingJobFilters } from './trainingJobFilters';

export interface TrainingJobEntry {
  readonly job: TrainingJob;
  readonly readiness: SshReadiness;
}

export interface TrainingJobListing {
  readonly entries: readonly TrainingJobEntry[];
  readonly nextToken?: string;
  readonly callerUserId?: string;
}

export interface ListingRequest {
  readonly filters: TrainingJobFilters;
  readonly pageSize: number;
  /** How many pages to (re)load, so a refresh keeps what "Load more…" showed. */
  readonly pages: number;
  readonly nextToken?: string;
  readonly now?: Date;
  /** Told about registrations that cannot be used (a bad SSHHost tag), which are left out. */
  readonly onSkipped?: (message: string) => void;
  /** Remote debug of running jobs, learnt once per job (DescribeTrainingJob); without it, not shown. */
  readonly remoteDebug?: RemoteDebugStates;
}

/** Names are only trusted when the registration says it is a training job. */
const maxRestrictedNames = 100;

function trainingJobNamesOf(instances: readonly SshInstance[]): string[] {
  const newestFirst = [...instances].sort((a, b) => (b.tags.timestamp ?? 0) - (a.tags.timestamp ?? 0));
  const names = new Set<string>();
  for (const instance of newestFirst) {
    const { resourceName, resourceArn } = instance.tags;
    if (resourceName && resourceArn?.toLowerCase().includes(':training-job/')) {
      names.add(resourceName);
    }
  }
  return [...names].slice(0, maxRestrictedNames);
}

function baseQuery(filters: TrainingJobFilters, now: Date): TrainingJobQuery {
  const createdAfter = filters.createdWithinDays
    ? new Date(now.getTime() - filters.createdWithinDays * 86_400_000)
    : undefined;
  return { status: filters.status, nameContains: filters.nameContains, createdAfter };
}

async function searchPages(
  sagemakerClient: Promise<SageMakerClient>,
  query: TrainingJobQuery,
  request: ListingRequest,
): Promise<{ jobs: TrainingJob[]; nextToken?: string }> {
  const sagemaker = await sagemakerClient;
  const jobs: TrainingJob[] = [];
  let nextToken = request.nextToken;
  for (let page = 0; page < request.pages; page++) {
    const result = await searchTrainingJobs(sagemaker, query, { pageSize: request.pageSize, nextToken });
    jobs.push(...result.jobs);
    nextToken = result.nextToken;
    if (!nextToken) {
      break;
    }
  }
  return { jobs, nextToken };
}

/**
 * Training jobs newest first with their SSH readiness: one Search per page plus two SSM calls,
 * whatever the number of jobs. With "only mine" / "only SSH-ready" the SSM calls come first and
 * restrict the Search to the jobs they name.
 */
export async function listTrainingJobEntries(
  connection: AwsConnection,
  request: ListingRequest,
): Promise<TrainingJobListing> {
  const { filters } = request;
  const restricted = filters.onlyMine || filters.onlySshReady;
  // On a cold start each client's SDK chunk compiles on this thread. Load the one the first call
  // needs first, so the others compile while that call is on the network.
  const sagemaker = restricted ? undefined : connection.clients.sagemaker();
  const identity = connection.identity();
  const ssm = connection.clients.ssm();
  const query = baseQuery(filters, request.now ?? new Date());
  let instances: SshInstance[] | undefined;
  let checkedAt = 0;
  if (restricted) {
    const owner = filters.onlyMine ? (await identity).userId : undefined;
    instances = await findSshInstances(await ssm, { owner, onlineOnly: filters.onlySshReady });
    checkedAt = Date.now();
    Object.assign(query, { names: trainingJobNamesOf(instances) });
  }
  const { jobs, nextToken } = await searchPages(sagemaker ?? connection.clients.sagemaker(), query, request);
  if (!instances) {
    instances = await findSshInstances(await ssm, { resourceNames: jobs.map((j) => j.name) });
    checkedAt = Date.now();
  }
  // Upstream's multi-node registrations name no node: the job's log does (usually no call at all).
  instances = await nameNodesOfJobs(
    connection,
    jobs.map((job) => trainingNodeTarget(job.name)),
    instances,
  );
  const callerUserId = (await identity).userId;
  const debug = request.remoteDebug;
  const running = jobs.filter((job) => job.status === 'InProgress' && job.algorithmName === undefined);
  if (debug && running.length > 0) {
    await debug.learn(
      await connection.clients.sagemaker(),
      running.map((job) => job.name),
    );
  }
  let entries = jobs.map((job) => ({
    job: debug?.isEnabled(job.name) && job.status === 'InProgress' ? { ...job, remoteDebug: true } : job,
    readiness: readinessOf(
      sshNodesFor(trainingNodeTarget(job.name), instances, callerUserId, request.onSkipped),
      checkedAt,
    ),
  }));
  if (filters.onlySshReady) {
    entries = entries.filter((e) => e.readiness.online > 0 || e.job.remoteDebug === true);
  }
  return { entries, nextToken, callerUserId };
}
