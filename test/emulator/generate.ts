import { Arns } from './arns';
import { formatRelative } from './scenario/time';
import {
  DEFAULT_ACCOUNT,
  DEFAULT_PARTITION,
  DEFAULT_REGION,
  type DomainSpec,
  type IdentitySpec,
  type ManagedInstanceSpec,
  type ScenarioDocument,
  type SpaceSpec,
  type TrainingJobSpec,
  type UserProfileSpec,
  type TrainingJobStatus,
} from './scenario/types';
import { seededRandom } from './seededRandom';

/**
 * Deterministic large scenarios for scale tests and benchmarks: thousands of training jobs spread
 * over 90 days and the SSM managed instances sagemaker-ssh-helper style containers would register
 * for them. Same options and seed → byte-identical output. All times are relative, so a generated
 * file stays "fresh" whenever it is loaded.
 */
export interface GenerateOptions {
  readonly jobs?: number;
  readonly instances?: number;
  /** Studio apps (KernelGateway, JupyterLab, CodeEditor) across generated domains. */
  readonly apps?: number;
  readonly seed?: number;
  readonly account?: string;
  readonly region?: string;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

const PROJECTS = [
  'llama',
  'mistral',
  'bert',
  'resnet',
  'whisper',
  'clip',
  't5',
  'vit',
  'gpt2',
  'xgboost',
  'sdxl',
  'yolo',
];
const TASKS = ['finetune', 'pretrain', 'eval', 'distill', 'sweep', 'lora', 'sft', 'dpo', 'classify', 'embed'];
const INSTANCE_TYPES = [
  'ml.g5.2xlarge',
  'ml.g5.12xlarge',
  'ml.p4d.24xlarge',
  'ml.m5.xlarge',
  'ml.c5.4xlarge',
  'ml.g6.xlarge',
  'ml.p5.48xlarge',
  'ml.trn1.32xlarge',
];
const FAILURES = [
  'AlgorithmError: ExecuteUserScriptError: Command "/usr/bin/python3 train.py" exited with code 1',
  'ResourceLimitExceeded: the account-level service limit for ml.p4d.24xlarge is 0 instances',
  'AlgorithmError: CUDA out of memory. Tried to allocate 2.00 GiB',
  'ClientError: Data download failed: no objects under the S3 prefix',
  'InternalServerError: We encountered an internal error. Please try again.',
];

class Dice {
  constructor(private readonly next: () => number) {}

  float(): number {
    return this.next();
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }
}

interface Owner {
  readonly identity: IdentitySpec;
  readonly share: number;
}

function identities(account: string, partition: string): Owner[] {
  const developer: IdentitySpec = {
    name: 'developer',
    accessKeyId: 'AKIAEMULATORDEVELOPER',
    secretAccessKey: 'emulator-developer-secret-access-key',
    arn: `arn:${partition}:iam::${account}:user/developer`,
    userId: 'AIDAEMULATORDEVELOPER0',
  };
  const teammate: IdentitySpec = {
    name: 'teammate',
    accessKeyId: 'AKIAEMULATORTEAMMATE0',
    secretAccessKey: 'emulator-teammate-secret-access-key',
    arn: `arn:${partition}:sts::${account}:assumed-role/DataScientist/teammate`,
    userId: 'AROAEMULATORTEAMMATE0:teammate',
  };
  return [
    { identity: developer, share: 0.7 },
    { identity: teammate, share: 0.3 },
  ];
}

interface GeneratedJob {
  readonly spec: TrainingJobSpec<string>;
  readonly createdAgoMs: number;
  readonly endedAgoMs?: number;
  readonly owner: IdentitySpec;
  readonly ssh: boolean;
}

function jobStatus(dice: Dice, ageMs: number): TrainingJobStatus {
  if (ageMs < 3 * DAY && dice.chance(0.35)) return dice.chance(0.05) ? 'Stopping' : 'InProgress';
  const roll = dice.float();
  return roll < 0.75 ? 'Completed' : roll < 0.9 ? 'Failed' : 'Stopped';
}

function jobName(dice: Dice, createdAt: number, used: Set<string>): string {
  const stamp = new Date(createdAt).toISOString().replace(/[-:T]/g, '-').replace(/\..*$/, '');
  const base = `${dice.pick(PROJECTS)}-${dice.pick(TASKS)}-${stamp}-${String(dice.int(0, 999)).padStart(3, '0')}`;
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}-${n}`;
  used.add(name.toLowerCase());
  return name;
}

/** Creation times are generated relative to a fixed reference so names are deterministic. */
const REFERENCE = Date.UTC(2025, 5, 1);

function generateJobs(dice: Dice, count: number, owners: readonly Owner[]): GeneratedJob[] {
  const used = new Set<string>();
  const jobs: GeneratedJob[] = [];
  for (let index = 0; index < count; index++) {
    const createdAgoMs = Math.floor(dice.float() * 90 * DAY) + 10 * MINUTE;
    const status = jobStatus(dice, createdAgoMs);
    const owner = dice.float() < owners[0]!.share ? owners[0]!.identity : owners[1]!.identity;
    const ssh = status === 'InProgress' || status === 'Stopping' || dice.chance(0.4);
    const instanceCount = dice.chance(0.75) ? 1 : dice.pick([2, 2, 2, 4, 8]);
    const running = status === 'InProgress' || status === 'Stopping';
    const durationMs = dice.int(10 * MINUTE, 30 * HOUR);
    const endedAgoMs = running ? undefined : Math.max(0, createdAgoMs - durationMs);
    const name = jobName(dice, REFERENCE - createdAgoMs, used);
    const spec: TrainingJobSpec<string> = {
      name,
      status,
      creationTime: formatRelative(-createdAgoMs),
      trainingEndTime: endedAgoMs === undefined ? undefined : formatRelative(-endedAgoMs),
      instanceType: dice.pick(INSTANCE_TYPES),
      instanceCount,
      failureReason: status === 'Failed' ? dice.pick(FAILURES) : undefined,
      environment: ssh
        ? {
            START_SSH: 'true',
            SSH_OWNER_TAG: owner.userId,
            SSH_INSTANCE_COUNT: String(Math.min(instanceCount, 2)),
            SSH_WAIT_TIME_SECONDS: '600',
          }
        : undefined,
      hyperParameters: {
        epochs: String(dice.int(1, 20)),
        learning_rate: String(dice.pick([1e-5, 3e-5, 1e-4, 3e-4])),
      },
      tags: { Project: name.split('-')[0]!, Owner: owner.name! },
    };
    jobs.push({ spec, createdAgoMs, endedAgoMs, owner, ssh });
  }
  return jobs;
}

interface InstanceSeed {
  readonly resourceName: string;
  readonly resourceArn: string;
  readonly host: string;
  readonly owner: IdentitySpec;
  readonly registeredAgoMs: number;
  readonly online: boolean;
  readonly priority: number;
}

function sshTags(seed: InstanceSeed, creatorRole: string): Record<string, string> {
  return {
    SSHOwner: seed.owner.userId,
    SSHCreator: `${creatorRole}:SageMaker`,
    SSHTimestamp: `{{epoch ${formatRelative(-seed.registeredAgoMs)}}}`,
    SSHResourceName: seed.resourceName,
    SSHResourceArn: seed.resourceArn,
    SSHHost: seed.host,
  };
}

/** Instances the containers of SSH-enabled jobs registered: live ones first, then stale ones. */
function jobInstanceSeeds(dice: Dice, jobs: readonly GeneratedJob[], arns: Arns): InstanceSeed[] {
  const seeds: InstanceSeed[] = [];
  for (const job of jobs) {
    if (!job.ssh) continue;
    const running = job.endedAgoMs === undefined;
    const nodes = Math.min(job.spec.instanceCount ?? 1, 2);
    for (let node = 1; node <= nodes; node++) {
      const registeredAgoMs = Math.max(MINUTE, job.createdAgoMs - dice.int(3, 8) * MINUTE);
      const base = {
        resourceName: job.spec.name,
        resourceArn: arns.trainingJob(job.spec.name),
        host: `algo-${node}`,
        owner: job.owner,
      };
      seeds.push({
        ...base,
        registeredAgoMs,
        online: running,
        priority: running ? 0 : 2 + job.createdAgoMs / DAY,
      });
      if (running && dice.chance(0.15)) {
        // A container restart leaves the previous registration behind, offline.
        seeds.push({
          ...base,
          registeredAgoMs: registeredAgoMs + dice.int(5, 60) * MINUTE,
          online: false,
          priority: 1,
        });
      }
    }
  }
  return seeds;
}

function generateStudio(
  dice: Dice,
  apps: number,
  owners: readonly Owner[],
  arns: Arns,
): { domains: DomainSpec<string>[]; seeds: InstanceSeed[] } {
  const domains: DomainSpec<string>[] = [];
  const seeds: InstanceSeed[] = [];
  const domainCount = Math.max(1, Math.ceil(apps / 40));
  let remaining = apps;
  for (let d = 0; d < domainCount; d++) {
    const id = `d-${dice.hex(12)}`;
    const userProfiles: UserProfileSpec<string>[] = [];
    const spaces: SpaceSpec<string>[] = [];
    const share = Math.ceil(remaining / (domainCount - d));
    remaining -= share;
    for (let a = 0; a < share; a++) {
      const owner = dice.float() < owners[0]!.share ? owners[0]!.identity : owners[1]!.identity;
      const status = dice.chance(0.15) ? 'Deleted' : 'InService';
      const createdAgoMs = dice.int(1, 30 * 24) * HOUR;
      if (dice.chance(0.4)) {
        const profile = `${owner.name}-${a}`;
        const app = `sagemaker-data-science-ml-t3-medium-${dice.hex(12)}`;
        userProfiles.push({
          name: profile,
          apps: [
            { type: 'JupyterServer', name: 'default' },
            { type: 'KernelGateway', name: app, status, creationTime: formatRelative(-createdAgoMs) },
          ],
        });
        seeds.push(
          studioSeed(arns, id, profile, 'KernelGateway', app, owner, createdAgoMs, status === 'InService'),
        );
      } else {
        const space = `space-${owner.name}-${a}`;
        const type = dice.chance(0.5) ? 'JupyterLab' : 'CodeEditor';
        spaces.push({
          name: space,
          appType: type,
          apps: [{ type, name: 'default', status, creationTime: formatRelative(-createdAgoMs) }],
        });
        seeds.push(studioSeed(arns, id, space, type, 'default', owner, createdAgoMs, status === 'InService'));
      }
    }
    domains.push({ id, name: `studio-${d + 1}`, userProfiles, spaces });
  }
  return { domains, seeds };
}

function studioSeed(
  arns: Arns,
  domainId: string,
  owner: string,
  type: string,
  app: string,
  identity: IdentitySpec,
  createdAgoMs: number,
  online: boolean,
): InstanceSeed {
  return {
    resourceName: app,
    resourceArn: arns.app(domainId, owner, type, app),
    host: app,
    owner: identity,
    registeredAgoMs: Math.max(MINUTE, createdAgoMs - 5 * MINUTE),
    online,
    priority: online ? 0 : 1.5,
  };
}

function toInstance(dice: Dice, seed: InstanceSeed, used: Set<string>): ManagedInstanceSpec<string> {
  let id = `mi-${dice.hex(17)}`;
  while (used.has(id)) id = `mi-${dice.hex(17)}`;
  used.add(id);
  const lastPingAgoMs = seed.online
    ? dice.int(5, 120) * 1000
    : Math.max(0, seed.registeredAgoMs - dice.int(10, 600) * MINUTE);
  return {
    id,
    tags: sshTags(seed, 'AROAEMULATOREXECROLE0'),
    pingStatus: seed.online ? 'Online' : 'ConnectionLost',
    lastPing: formatRelative(-Math.min(lastPingAgoMs, seed.registeredAgoMs)),
    registrationDate: formatRelative(-seed.registeredAgoMs),
    computerName: seed.host,
    iamRole: 'SageMakerExecutionRole',
    ipAddress: `10.${dice.int(0, 255)}.${dice.int(0, 255)}.${dice.int(1, 254)}`,
  };
}

export function generateScenario(options: GenerateOptions = {}): ScenarioDocument {
  const account = options.account ?? DEFAULT_ACCOUNT;
  const region = options.region ?? DEFAULT_REGION;
  const arns = new Arns(DEFAULT_PARTITION, region, account);
  const dice = new Dice(seededRandom(options.seed ?? 1));
  const owners = identities(account, DEFAULT_PARTITION);
  const jobs = generateJobs(dice, options.jobs ?? 1000, owners);
  const studio = generateStudio(dice, options.apps ?? 20, owners, arns);
  const seeds = [...jobInstanceSeeds(dice, jobs, arns), ...studio.seeds].sort(
    (a, b) => a.priority - b.priority,
  );
  const wanted = options.instances ?? 200;
  const used = new Set<string>();
  const instances = seeds.slice(0, wanted).map((seed) => toInstance(dice, seed, used));
  // Not enough SSH containers for the requested count: the rest are unrelated hybrid nodes.
  for (let index = instances.length; index < wanted; index++) {
    let id = `mi-${dice.hex(17)}`;
    while (used.has(id)) id = `mi-${dice.hex(17)}`;
    used.add(id);
    instances.push({
      id,
      pingStatus: dice.chance(0.5) ? 'Online' : 'ConnectionLost',
      computerName: `onprem-${index}`,
      tags: { Environment: 'lab' },
    });
  }
  return {
    description: `Generated: ${jobs.length} training jobs, ${instances.length} managed instances, seed ${options.seed ?? 1}`,
    account,
    region,
    partition: DEFAULT_PARTITION,
    identities: owners.map((owner) => owner.identity),
    sagemaker: { trainingJobs: jobs.map((job) => job.spec), domains: studio.domains },
    ssm: { instances },
    s3: { buckets: [{ name: `sagemaker-${region}-${account}` }] },
  };
}
