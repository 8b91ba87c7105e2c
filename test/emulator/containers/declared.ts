import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Emulator } from '../emulator';
import type { JsonObject, OperationContext } from '../operations';
import { isSessionOfRole, roleNameOf } from '../scenario/executionRoles';
import type { AppSshDeclarationSpec, Scenario, SshDeclarationSpec } from '../scenario/types';
import { pipeContainerLog } from '../services/logs';
import { trainingJobOperations } from '../services/sagemaker/trainingJobs';
import type { EmulatorState } from '../state';
import type { TrainingJobRecord } from '../stores/trainingJobs';
import type { SshTags } from './bootstrap';
import type { SimulatedContainer } from './container';
import { exited } from './processes';
import type { ContainerManager } from './manager';
import { appLayout, trainingJobLayout, type SageMakerContainerLayout } from './sagemakerEnvironment';
import type { ContainerFile } from './sandbox';

/** A container started for a scenario `ssh` declaration. */
export interface DeclaredNode {
  readonly kind: 'training-job' | 'app';
  readonly resourceName: string;
  readonly resourceArn: string;
  /** `algo-N`, or the app name. */
  readonly host: string;
  /** The user an IDE logs in as: root, or sagemaker-user in Studio spaces. */
  readonly user: string;
  readonly container: SimulatedContainer;
  /** Built-in bootstrap: the managed instance it registered (entry scripts: see manager.instanceOf). */
  readonly instanceId?: string;
  /** Entry scripts only: resolves with the script's exit code (null when killed). */
  readonly entryExit?: Promise<number | null>;
  /** Native (remote debug) nodes: the Session Manager target SageMaker serves for this node. */
  readonly nativeTarget?: string;
}

/** The Session Manager target of a remote-debug training node, as SageMaker names it. */
export function remoteDebugTarget(jobName: string, index: number): string {
  return `sagemaker-training-job:${jobName}_algo-${index}`;
}

/**
 * The containers of a job's `remoteDebug` declaration: SageMaker's own agent (no payload, no SSH
 * tags), running when remote debug is enabled, and the target `sagemaker-training-job:<job>_algo-<N>`.
 */
function startRemoteDebugNodes(
  emulator: Emulator,
  manager: ContainerManager,
  scenario: Scenario,
): Promise<DeclaredNode>[] {
  const starts: Promise<DeclaredNode>[] = [];
  const identities = emulator.state.identities;
  for (const spec of scenario.sagemaker?.trainingJobs ?? []) {
    if (!spec.remoteDebug) continue;
    const job = emulator.state.trainingJobs.get(spec.name)!;
    const role = identities.all().find((identity) => isSessionOfRole(identity, roleNameOf(job.roleArn)));
    const nodeCount = spec.remoteDebug.nodes ?? job.instanceCount;
    for (let index = 1; index <= nodeCount; index++) {
      const layout = trainingJobLayout(job, index);
      const target = remoteDebugTarget(job.name, index);
      starts.push(
        manager
          .startNativeNode({
            id: `${job.name}-algo-${index}`,
            hostname: layout.hostname,
            env: layout.env,
            files: layout.files,
            users: layout.users,
            roleIdentity: role?.name,
            targets: [target],
            agentRunning: job.remoteDebugEnabled === true,
            sshd: spec.remoteDebug.sshd,
          })
          .then((node) => ({
            kind: 'training-job' as const,
            resourceName: job.name,
            resourceArn: job.arn,
            host: layout.hostname,
            user: layout.user,
            container: node.container,
            instanceId: node.instanceId,
            nativeTarget: target,
          })),
      );
    }
  }
  return starts;
}

interface NodePlan {
  readonly kind: DeclaredNode['kind'];
  readonly resourceName: string;
  readonly resourceArn: string;
  readonly layout: SageMakerContainerLayout;
  readonly declaration: SshDeclarationSpec | AppSshDeclarationSpec;
  readonly owner: string;
  readonly roleName: string;
  readonly containerId: string;
  readonly nodeCount: number;
  readonly job?: TrainingJobRecord;
}

const CODE_DIR = '/opt/ml/code';

function codeFiles(declaration: SshDeclarationSpec | AppSshDeclarationSpec): Record<string, ContainerFile> {
  const files: Record<string, ContainerFile> = {};
  const copyDir = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const from = path.join(dir, entry.name);
      if (entry.isDirectory()) copyDir(from, `${prefix}/${entry.name}`);
      else if (entry.isFile()) {
        files[`${prefix}/${entry.name}`] = { content: readFileSync(from), mode: statSync(from).mode & 0o777 };
      }
    }
  };
  if (declaration.sourceDir) copyDir(declaration.sourceDir, CODE_DIR);
  if (declaration.entry) {
    files[`${CODE_DIR}/${path.basename(declaration.entry)}`] = {
      content: readFileSync(declaration.entry),
      mode: 0o755,
    };
  }
  return files;
}

function jobPlans(state: EmulatorState, scenario: Scenario): NodePlan[] {
  const plans: NodePlan[] = [];
  for (const spec of scenario.sagemaker?.trainingJobs ?? []) {
    if (!spec.ssh) continue;
    const job = state.trainingJobs.get(spec.name)!;
    const nodeCount = spec.ssh.nodes ?? 1;
    for (let index = 1; index <= nodeCount; index++) {
      plans.push({
        kind: 'training-job',
        resourceName: job.name,
        resourceArn: job.arn,
        layout: trainingJobLayout(job, index),
        declaration: spec.ssh,
        owner: spec.ssh.owner ?? job.environment.SSH_OWNER_TAG ?? state.identities.default.userId,
        roleName: roleNameOf(job.roleArn),
        containerId: `${job.name}-algo-${index}`,
        nodeCount,
        job,
      });
    }
  }
  return plans;
}

function appPlans(state: EmulatorState, scenario: Scenario): NodePlan[] {
  const plans: NodePlan[] = [];
  for (const domainSpec of scenario.sagemaker?.domains ?? []) {
    const domain = state.studio.allDomains().find((candidate) => candidate.id === domainSpec.id)!;
    const owners = [
      ...(domainSpec.userProfiles ?? []).map((owner) => ({
        owner,
        role: owner.executionRole ?? domain.executionRole,
      })),
      ...(domainSpec.spaces ?? []).map((owner) => ({ owner, role: domain.executionRole })),
    ];
    for (const { owner, role } of owners) {
      for (const appSpec of owner.apps ?? []) {
        if (!appSpec.ssh) continue;
        const app = state.studio
          .allApps()
          .find(
            (candidate) =>
              candidate.domainId === domain.id &&
              candidate.owner === owner.name &&
              candidate.type === appSpec.type &&
              candidate.name === appSpec.name,
          )!;
        plans.push({
          kind: 'app',
          resourceName: app.name,
          resourceArn: app.arn,
          layout: appLayout(app, domain, role),
          declaration: appSpec.ssh,
          owner: appSpec.ssh.owner ?? state.identities.default.userId,
          roleName: roleNameOf(role),
          containerId: `${domain.id}-${owner.name}-${app.type}-${app.name}`.toLowerCase(),
          nodeCount: 1,
        });
      }
    }
  }
  return plans;
}

async function startNode(
  emulator: Emulator,
  manager: ContainerManager,
  plan: NodePlan,
): Promise<DeclaredNode> {
  const identities = emulator.state.identities;
  const role = identities.all().find((identity) => isSessionOfRole(identity, plan.roleName))!;
  const { layout, declaration } = plan;
  const env = {
    START_SSH: 'true',
    SSH_SSM_ROLE: plan.roleName,
    SSH_OWNER_TAG: plan.owner,
    ...(plan.kind === 'training-job' ? { SSH_INSTANCE_COUNT: String(plan.nodeCount) } : {}),
    ...layout.env,
  };
  const spec = {
    id: plan.containerId,
    hostname: layout.hostname,
    env,
    files: { ...layout.files, ...codeFiles(declaration) },
    users: layout.users,
    roleIdentity: role.name,
    agent: declaration.agent,
  };
  const base = {
    kind: plan.kind,
    resourceName: plan.resourceName,
    resourceArn: plan.resourceArn,
    host: layout.hostname,
    user: layout.user,
  };
  if (declaration.entry) {
    const container = await manager.start(spec);
    const entry = container.spawn([`${CODE_DIR}/${path.basename(declaration.entry)}`], { cwd: CODE_DIR });
    return { ...base, container, entryExit: exitCode(entry) };
  }
  const tags: SshTags = {
    SSHOwner: plan.owner,
    SSHCreator: role.userId,
    SSHTimestamp: String(Math.floor(emulator.state.now().getTime() / 1000)),
    SSHResourceName: plan.resourceName,
    SSHResourceArn: plan.resourceArn,
    SSHHost: layout.hostname,
  };
  const node = await manager.startSshNode({
    ...spec,
    tags,
    iamRole: env.SSH_SSM_ROLE,
    pingStatus: (declaration as SshDeclarationSpec).pingStatus ?? 'Online',
  });
  return { ...base, container: node.container, instanceId: node.instanceId };
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  await exited(child);
  return child.exitCode;
}

/** A training job whose entry scripts all ended: Completed if every one exited 0, else Failed. */
function finishJob(
  state: EmulatorState,
  job: TrainingJobRecord,
  codes: readonly (number | null)[],
  hosts: readonly string[],
): void {
  if (job.status !== 'InProgress') return;
  const now = state.now();
  const failedAt = codes.findIndex((code) => code !== 0);
  state.trainingJobs.update(job, (record) => {
    const last = record.transitions[record.transitions.length - 1];
    if (last && !last.endTime) last.endTime = now;
    if (failedAt < 0) {
      record.status = 'Completed';
      record.secondaryStatus = 'Completed';
      record.transitions.push(
        {
          status: 'Uploading',
          startTime: now,
          endTime: now,
          statusMessage: 'Uploading generated training model',
        },
        { status: 'Completed', startTime: now, endTime: now, statusMessage: 'Training job completed' },
      );
    } else {
      const code = codes[failedAt];
      record.status = 'Failed';
      record.secondaryStatus = 'Failed';
      record.failureReason = `AlgorithmError: ExecuteUserScriptError: ExitCode ${code ?? 'killed'} (${hosts[failedAt]})`;
      record.transitions.push({
        status: 'Failed',
        startTime: now,
        endTime: now,
        statusMessage: 'Training job failed',
      });
    }
    record.trainingEndTime = now;
    record.lastModifiedTime = now;
  });
}

/** StopTrainingJob also stops the job's containers (their agents disconnect), as SageMaker does. */
function stopContainersWithJob(
  emulator: Emulator,
  nodes: readonly DeclaredNode[],
  track: (task: Promise<unknown>) => void,
): void {
  const original = trainingJobOperations.StopTrainingJob!;
  emulator.addOperations(
    'sagemaker',
    {
      StopTrainingJob: {
        ...original,
        handler: async (input: JsonObject, context: OperationContext) => {
          const output = await original.handler(input, context);
          const job = context.state.trainingJobs.get(String(input.TrainingJobName));
          for (const node of nodes) {
            if (job && node.resourceArn === job.arn) track(node.container.stop());
          }
          return output;
        },
      },
    },
    { replace: true },
  );
}

/**
 * Starts one container per declared node, in parallel: the built-in bootstrap (resolves when every
 * agent is connected, or registered for ConnectionLost nodes), or the entry script (resolves as soon
 * as it runs; the job completes or fails when the scripts exit).
 */
export async function startDeclaredContainers(
  emulator: Emulator,
  manager: ContainerManager,
  scenario: Scenario,
  track: (task: Promise<unknown>) => void,
): Promise<DeclaredNode[]> {
  const plans = [...jobPlans(emulator.state, scenario), ...appPlans(emulator.state, scenario)];
  const starts = [
    ...plans.map((plan) => startNode(emulator, manager, plan)),
    ...startRemoteDebugNodes(emulator, manager, scenario),
  ];
  if (starts.length === 0) return [];
  const results = await Promise.allSettled(starts);
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) throw failure.reason;
  const nodes = results.map((result) => (result as PromiseFulfilledResult<DeclaredNode>).value);
  stopContainersWithJob(emulator, nodes, track);
  for (const job of new Set(plans.map((plan) => plan.job).filter((job) => job !== undefined))) {
    const jobNodes = nodes.filter((node) => node.resourceArn === job.arn && node.entryExit);
    if (jobNodes.length === 0) continue;
    track(
      Promise.all(jobNodes.map((node) => node.entryExit!)).then(async (codes) => {
        finishJob(
          emulator.state,
          job,
          codes,
          jobNodes.map((node) => node.host),
        );
        await Promise.all(jobNodes.map((node) => node.container.stop()));
      }),
    );
  }
  return nodes;
}

/** Training containers write their output to their job's CloudWatch Logs stream, as on SageMaker. */
export function pipeDeclaredJobLogs(emulator: Emulator, nodes: readonly DeclaredNode[]): void {
  for (const node of nodes) {
    const job = node.kind === 'training-job' ? emulator.state.trainingJobs.get(node.resourceName) : undefined;
    const index = Number(/^algo-(\d+)$/.exec(node.host)?.[1]);
    if (job && index > 0) pipeContainerLog(emulator.logs, job, index, node.container);
  }
}
