import { childPath, type Problems } from './validate';
import type { ScenarioOf } from './types';

/**
 * Checks that need more than one field: uniqueness and references. Runs only on a scenario whose
 * individual fields are already valid.
 */
export function crossCheck(scenario: ScenarioOf<Date>, problems: Problems): void {
  checkIdentities(scenario, problems);
  checkTrainingJobs(scenario, problems);
  checkDomains(scenario, problems);
  checkSsm(scenario, problems);
  checkBuckets(scenario, problems);
  checkSshDeclarations(scenario, problems);
}

/** Reports the second and later elements whose key was already seen. */
function unique<T>(
  items: readonly T[] | undefined,
  key: (item: T) => string | undefined,
  path: string,
  what: string,
  problems: Problems,
): void {
  const seen = new Map<string, number>();
  (items ?? []).forEach((item, index) => {
    const value = key(item);
    if (value === undefined) return;
    const first = seen.get(value);
    if (first === undefined) seen.set(value, index);
    else
      problems.report(
        childPath(path, index),
        `duplicate ${what} ${JSON.stringify(value)} (first used at index ${first})`,
      );
  });
}

function checkIdentities(scenario: ScenarioOf<Date>, problems: Problems): void {
  const identities = scenario.identities;
  unique(identities, (identity) => identity.accessKeyId, '$.identities', 'accessKeyId', problems);
  unique(identities, (identity) => identity.name, '$.identities', 'identity name', problems);
}

function checkTrainingJobs(scenario: ScenarioOf<Date>, problems: Problems): void {
  const jobs = scenario.sagemaker?.trainingJobs;
  // The ARN lowercases the name, so two names differing only in case would collide.
  unique(jobs, (job) => job.name.toLowerCase(), '$.sagemaker.trainingJobs', 'training job name', problems);
  (jobs ?? []).forEach((job, index) => {
    const path = childPath('$.sagemaker.trainingJobs', index);
    if (job.trainingEndTime && job.creationTime && job.trainingEndTime < job.creationTime) {
      problems.report(childPath(path, 'trainingEndTime'), 'is before creationTime');
    }
    if (job.trainingEndTime && (job.status === 'InProgress' || job.status === 'Stopping')) {
      problems.report(childPath(path, 'trainingEndTime'), `must not be set while the job is ${job.status}`);
    }
  });
}

function checkDomains(scenario: ScenarioOf<Date>, problems: Problems): void {
  const domains = scenario.sagemaker?.domains;
  unique(domains, (domain) => domain.id, '$.sagemaker.domains', 'domain id', problems);
  (domains ?? []).forEach((domain, index) => {
    const path = childPath('$.sagemaker.domains', index);
    const profileNames = new Set((domain.userProfiles ?? []).map((profile) => profile.name));
    unique(
      domain.userProfiles,
      (profile) => profile.name,
      childPath(path, 'userProfiles'),
      'user profile name',
      problems,
    );
    unique(domain.spaces, (space) => space.name, childPath(path, 'spaces'), 'space name', problems);
    (domain.userProfiles ?? []).forEach((profile, profileIndex) => {
      const appsPath = childPath(childPath(childPath(path, 'userProfiles'), profileIndex), 'apps');
      unique(profile.apps, (app) => `${app.type}/${app.name}`, appsPath, 'app (type/name)', problems);
    });
    (domain.spaces ?? []).forEach((space, spaceIndex) => {
      const spacePath = childPath(childPath(path, 'spaces'), spaceIndex);
      if (space.ownerUserProfile !== undefined && !profileNames.has(space.ownerUserProfile)) {
        problems.report(
          childPath(spacePath, 'ownerUserProfile'),
          `names user profile ${JSON.stringify(space.ownerUserProfile)}, which is not in this domain's userProfiles`,
        );
      }
      unique(
        space.apps,
        (app) => `${app.type}/${app.name}`,
        childPath(spacePath, 'apps'),
        'app (type/name)',
        problems,
      );
    });
  });
}

function checkSsm(scenario: ScenarioOf<Date>, problems: Problems): void {
  unique(scenario.ssm?.instances, (instance) => instance.id, '$.ssm.instances', 'instance id', problems);
  const activations = scenario.ssm?.activations;
  unique(activations, (activation) => activation.id, '$.ssm.activations', 'activation id', problems);
  (activations ?? []).forEach((activation, index) => {
    if ((activation.registrationsCount ?? 0) > (activation.registrationLimit ?? 1)) {
      problems.report(
        childPath(childPath('$.ssm.activations', index), 'registrationsCount'),
        'is greater than registrationLimit',
      );
    }
  });
}

function checkBuckets(scenario: ScenarioOf<Date>, problems: Problems): void {
  const buckets = scenario.s3?.buckets;
  unique(buckets, (bucket) => bucket.name, '$.s3.buckets', 'bucket name', problems);
  (buckets ?? []).forEach((bucket, index) => {
    const objectsPath = childPath(childPath('$.s3.buckets', index), 'objects');
    unique(bucket.objects, (object) => object.key, objectsPath, 'object key', problems);
  });
}

/** Upper bound on simulated containers per scenario: each is a real sshd plus a Node.js agent. */
export const MAX_SSH_CONTAINERS = 16;

/** A job's remoteDebug declaration; returns how many containers it starts. */
function checkRemoteDebug(
  job: NonNullable<NonNullable<ScenarioOf<Date>['sagemaker']>['trainingJobs']>[number],
  jobPath: string,
  problems: Problems,
): number {
  if (!job.remoteDebug) return 0;
  const path = childPath(jobPath, 'remoteDebug');
  const nodes = job.remoteDebug.nodes ?? job.instanceCount ?? 1;
  if (job.status !== 'InProgress') {
    problems.report(path, `only an InProgress job has running containers; this job is ${job.status}`);
  }
  if (job.ssh) {
    problems.report(
      path,
      'a job declares either "ssh" (payload containers) or "remoteDebug" (native containers), not both',
    );
  }
  if (nodes > (job.instanceCount ?? 1)) {
    problems.report(
      childPath(path, 'nodes'),
      `is ${nodes}, more than the job's instanceCount (${job.instanceCount ?? 1})`,
    );
  }
  return nodes;
}

function checkSshDeclarations(scenario: ScenarioOf<Date>, problems: Problems): void {
  let containers = 0;
  (scenario.sagemaker?.trainingJobs ?? []).forEach((job, index) => {
    containers += checkRemoteDebug(job, childPath('$.sagemaker.trainingJobs', index), problems);
    if (!job.ssh) return;
    const path = childPath(childPath('$.sagemaker.trainingJobs', index), 'ssh');
    containers += job.ssh.nodes ?? 1;
    if (job.status !== 'InProgress') {
      problems.report(path, `only an InProgress job has running containers; this job is ${job.status}`);
    }
    if ((job.ssh.nodes ?? 1) > (job.instanceCount ?? 1)) {
      problems.report(
        childPath(path, 'nodes'),
        `is ${job.ssh.nodes}, more than the job's instanceCount (${job.instanceCount ?? 1})`,
      );
    }
  });
  (scenario.sagemaker?.domains ?? []).forEach((domain, domainIndex) => {
    const domainPath = childPath('$.sagemaker.domains', domainIndex);
    const owners = [
      ...(domain.userProfiles ?? []).map((owner, i) => ({
        owner,
        path: childPath(childPath(domainPath, 'userProfiles'), i),
      })),
      ...(domain.spaces ?? []).map((owner, i) => ({
        owner,
        path: childPath(childPath(domainPath, 'spaces'), i),
      })),
    ];
    for (const { owner, path } of owners) {
      (owner.apps ?? []).forEach((app, appIndex) => {
        if (!app.ssh) return;
        containers += 1;
        if ((app.status ?? 'InService') !== 'InService') {
          problems.report(
            childPath(childPath(childPath(path, 'apps'), appIndex), 'ssh'),
            `only an InService app has a running container; this app is ${app.status}`,
          );
        }
      });
    }
  });
  if (containers > MAX_SSH_CONTAINERS) {
    problems.report(
      '$',
      `declares ${containers} SSH containers; at most ${MAX_SSH_CONTAINERS} are supported`,
    );
  }
}
