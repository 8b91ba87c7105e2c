import { randomUUID } from 'node:crypto';
import { accessDeniedMessage, isDenied } from '../../auth/identities';
import { AwsError } from '../../errors';
import type { JsonObject, JsonOperation, OperationContext } from '../../operations';
import { JsonInput } from '../../protocols/jsonInput';
import { TERMINAL_STATUSES, type CommandRecord, type CommandStore, type InvocationRecord } from './store';

export const RUN_SHELL_SCRIPT = 'AWS-RunShellScript';
const PLUGIN_NAME = 'aws:runShellScript';
/** AWS-RunShellScript's executionTimeout: 1..172800 seconds, default 3600. */
const DEFAULT_EXECUTION_TIMEOUT = 3600;
const MAX_EXECUTION_TIMEOUT = 172_800;
const COMMAND_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INSTANCE_ID_PATTERN = /^(mi-[0-9a-f]{17}|i-[0-9a-f]{8}|i-[0-9a-f]{17})$/;

/** What the operations need besides the emulator state. */
export interface RunCommandBackend {
  readonly store: CommandStore;
  /** Hands an invocation to the instance's agent now, if it has an open control channel. */
  deliver(command: CommandRecord, invocation: InvocationRecord): void;
  cancel(command: CommandRecord, invocation: InvocationRecord): void;
  /** How long a new command stays invisible to GetCommandInvocation. */
  readonly visibilityDelayMs: number;
}

function documentArn(context: OperationContext, name: string): string {
  const { partition, region } = context.state.arns;
  return `arn:${partition}:ssm:${region}::document/${name}`;
}

function invalidParameters(message: string): AwsError {
  return new AwsError('InvalidParameters', message);
}

interface ShellParameters {
  readonly commands: string[];
  readonly executionTimeoutSeconds: number;
  readonly workingDirectory?: string;
  readonly normalized: Record<string, string[]>;
}

function readShellParameters(raw: unknown): ShellParameters {
  if (raw === undefined)
    throw invalidParameters(`Parameter "commands" is required by document ${RUN_SHELL_SCRIPT}.`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new AwsError('SerializationException', "Expected a map of string lists at 'Parameters'");
  }
  const parameters = raw as Record<string, unknown>;
  for (const [name, values] of Object.entries(parameters)) {
    if (!Array.isArray(values) || values.some((value) => typeof value !== 'string')) {
      throw new AwsError('SerializationException', `Expected a list of strings at 'Parameters.${name}'`);
    }
    if (!['commands', 'executionTimeout', 'workingDirectory'].includes(name)) {
      throw invalidParameters(`Parameter "${name}" is not defined in document ${RUN_SHELL_SCRIPT}.`);
    }
  }
  const commands = (parameters.commands as string[] | undefined) ?? [];
  if (commands.length === 0)
    throw invalidParameters(`Parameter "commands" is required by document ${RUN_SHELL_SCRIPT}.`);
  const timeoutValues = (parameters.executionTimeout as string[] | undefined) ?? [
    String(DEFAULT_EXECUTION_TIMEOUT),
  ];
  const timeout = Number(timeoutValues[0]);
  if (
    timeoutValues.length !== 1 ||
    !/^\d+$/.test(timeoutValues[0]!) ||
    timeout < 1 ||
    timeout > MAX_EXECUTION_TIMEOUT
  ) {
    throw invalidParameters(
      `Parameter "executionTimeout" "${timeoutValues.join(',')}" is not valid: it must be one whole number of seconds from 1 to ${MAX_EXECUTION_TIMEOUT}.`,
    );
  }
  const workingDirectory = (parameters.workingDirectory as string[] | undefined)?.[0] || undefined;
  return {
    commands,
    executionTimeoutSeconds: timeout,
    workingDirectory,
    normalized: {
      commands,
      executionTimeout: [String(timeout)],
      ...(workingDirectory ? { workingDirectory: [workingDirectory] } : {}),
    },
  };
}

/** InstanceIds, or Targets by `InstanceIds` / `tag:<key>` / `tag-key`. */
function resolveInstances(
  context: OperationContext,
  instanceIds: string[] | undefined,
  targets: { Key: string; Values: string[] }[] | undefined,
): string[] {
  if ((instanceIds?.length ?? 0) > 0 && (targets?.length ?? 0) > 0) {
    throw invalidParameters('Specify either InstanceIds or Targets, not both.');
  }
  if (instanceIds?.length) return [...new Set(instanceIds)];
  if (!targets?.length) throw invalidParameters('Specify InstanceIds or Targets.');
  const store = context.state.instances;
  let selected: Set<string> | undefined;
  for (const target of targets) {
    let ids: Set<string>;
    if (target.Key === 'InstanceIds') ids = new Set(target.Values);
    else if (target.Key.startsWith('tag:')) ids = store.idsWithTagValues(target.Key.slice(4), target.Values);
    else if (target.Key === 'tag-key') ids = store.idsWithTagKeys(target.Values);
    else throw new AwsError('InvalidTarget', `Target key ${target.Key} is not supported.`);
    selected = selected ? new Set([...selected].filter((id) => ids.has(id))) : ids;
  }
  return [...(selected ?? [])];
}

function sendCommand(body: JsonObject, context: OperationContext, backend: RunCommandBackend): JsonObject {
  const input = JsonInput.of(body);
  const instanceIds = input.stringList('InstanceIds', { max: 50, min: 0 });
  const targets = input.objectList('Targets', { max: 5 })?.map((target) => ({
    Key: target.string('Key', { required: true, min: 1, max: 163 })!,
    Values: target.stringList('Values', { max: 50 }) ?? [],
  }));
  const documentName = input.string('DocumentName', {
    required: true,
    pattern: /^[a-zA-Z0-9_\-.:/]{3,128}$/,
  })!;
  input.string('DocumentVersion', { pattern: /^(\$DEFAULT|\$LATEST|[0-9]+)$/ });
  input.string('DocumentHash', { max: 256 });
  input.string('DocumentHashType');
  const timeoutSeconds = input.integer('TimeoutSeconds', { min: 30, max: 2_592_000 }) ?? 3600;
  const comment = input.string('Comment', { max: 100 }) ?? '';
  const rawParameters = input.raw('Parameters');
  for (const member of [
    'OutputS3Region',
    'OutputS3BucketName',
    'OutputS3KeyPrefix',
    'MaxConcurrency',
    'MaxErrors',
    'ServiceRoleArn',
  ])
    input.string(member);
  input.object('NotificationConfig');
  input.object('CloudWatchOutputConfig');
  input.object('AlarmConfiguration');
  input.finish();
  for (const id of instanceIds ?? []) {
    if (!INSTANCE_ID_PATTERN.test(id))
      throw new AwsError('InvalidInstanceId', `Instance id ${id} is not valid.`);
  }
  const name = documentName.split('/').pop()!;
  if (name !== RUN_SHELL_SCRIPT) {
    throw new AwsError('InvalidDocument', `Document ${documentName} does not exist in your account.`);
  }
  const identity = context.identity;
  if (identity && isDenied(identity, 'ssm:SendCommand', documentArn(context, name))) {
    throw new AwsError(
      'AccessDeniedException',
      accessDeniedMessage(identity, 'ssm:SendCommand', documentArn(context, name)),
    );
  }
  const parameters = readShellParameters(rawParameters);
  const ids = resolveInstances(context, instanceIds, targets);
  if (identity) {
    for (const id of ids) {
      const arn = context.state.arns.managedInstance(id);
      if (isDenied(identity, 'ssm:SendCommand', arn)) {
        throw new AwsError('AccessDeniedException', accessDeniedMessage(identity, 'ssm:SendCommand', arn));
      }
    }
  }
  const invalid = ids.filter((id) => context.state.instances.get(id)?.pingStatus !== 'Online');
  if (invalid.length > 0 || ids.length === 0) {
    throw new AwsError(
      'InvalidInstanceId',
      `Instances [[${invalid.join(', ')}]] not in a valid state for account ${context.state.account}`,
    );
  }
  const now = context.now;
  const commandId = randomUUID();
  const command: CommandRecord = {
    commandId,
    documentName: name,
    comment,
    parameters: parameters.normalized,
    commands: parameters.commands,
    executionTimeoutSeconds: parameters.executionTimeoutSeconds,
    workingDirectory: parameters.workingDirectory,
    timeoutSeconds,
    requestedAt: now,
    visibleAt: new Date(now.getTime() + backend.visibilityDelayMs),
    instanceIds: ids,
    targets: targets ?? [],
    invocations: new Map(ids.map((instanceId) => [instanceId, newInvocation(commandId, instanceId)])),
  };
  backend.store.add(command);
  for (const invocation of command.invocations.values()) backend.deliver(command, invocation);
  return { Command: describeCommand(command, context) };
}

function newInvocation(commandId: string, instanceId: string): InvocationRecord {
  return {
    commandId,
    instanceId,
    status: 'Pending',
    statusDetails: 'Pending',
    responseCode: -1,
    stdout: '',
    stderr: '',
    delivered: false,
  };
}

function counts(command: CommandRecord): { completed: number; errors: number; deliveryTimedOut: number } {
  let completed = 0;
  let errors = 0;
  let deliveryTimedOut = 0;
  for (const invocation of command.invocations.values()) {
    if (TERMINAL_STATUSES.has(invocation.status)) completed++;
    if (['Failed', 'TimedOut', 'Cancelled'].includes(invocation.status)) errors++;
    if (invocation.statusDetails === 'DeliveryTimedOut') deliveryTimedOut++;
  }
  return { completed, errors, deliveryTimedOut };
}

/** The command's overall status, from its invocations. */
function commandStatus(command: CommandRecord): string {
  const statuses = [...command.invocations.values()].map((invocation) => invocation.status);
  if (statuses.every((status) => status === 'Pending')) return 'Pending';
  if (statuses.some((status) => !TERMINAL_STATUSES.has(status)))
    return statuses.includes('Cancelling') ? 'Cancelling' : 'InProgress';
  if (statuses.every((status) => status === 'Success')) return 'Success';
  if (statuses.includes('Cancelled')) return 'Cancelled';
  if (statuses.includes('Failed')) return 'Failed';
  return 'TimedOut';
}

function describeCommand(command: CommandRecord, context: OperationContext): JsonObject {
  const { completed, errors, deliveryTimedOut } = counts(command);
  const status = commandStatus(command);
  return {
    CommandId: command.commandId,
    DocumentName: command.documentName,
    DocumentVersion: '$DEFAULT',
    Comment: command.comment,
    ExpiresAfter: new Date(command.requestedAt.getTime() + command.timeoutSeconds * 1000),
    Parameters: command.parameters,
    InstanceIds: command.targets.length > 0 ? [] : [...command.instanceIds],
    Targets: command.targets,
    RequestedDateTime: command.requestedAt,
    Status: status,
    StatusDetails: status,
    OutputS3Region: context.state.region,
    OutputS3BucketName: '',
    OutputS3KeyPrefix: '',
    MaxConcurrency: '50',
    MaxErrors: '0',
    TargetCount: command.invocations.size,
    CompletedCount: completed,
    ErrorCount: errors,
    DeliveryTimedOutCount: deliveryTimedOut,
    ServiceRole: '',
    NotificationConfig: { NotificationArn: '', NotificationEvents: [], NotificationType: '' },
    CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
    TimeoutSeconds: command.timeoutSeconds,
    TriggeredAlarms: [],
  };
}

function iso(date: Date | undefined): string {
  return date ? date.toISOString() : '';
}

function elapsed(invocation: InvocationRecord, now: Date): string {
  if (!invocation.startedAt) return '';
  const end = invocation.endedAt ?? now;
  return `PT${((end.getTime() - invocation.startedAt.getTime()) / 1000).toFixed(3)}S`;
}

function readCommandId(input: JsonInput, required: boolean): string | undefined {
  return input.string('CommandId', { required, min: 36, max: 36 });
}

function getCommandInvocation(
  body: JsonObject,
  context: OperationContext,
  backend: RunCommandBackend,
): JsonObject {
  const input = JsonInput.of(body);
  const commandId = readCommandId(input, true)!;
  const instanceId = input.string('InstanceId', { required: true, pattern: INSTANCE_ID_PATTERN })!;
  const pluginName = input.string('PluginName', { min: 4 });
  input.finish();
  backend.store.refresh(context.now);
  const command = backend.store.get(commandId);
  const invocation = command?.invocations.get(instanceId);
  if (
    !command ||
    !invocation ||
    context.now < command.visibleAt ||
    (pluginName && pluginName !== PLUGIN_NAME)
  ) {
    throw new AwsError('InvocationDoesNotExist', '');
  }
  const done = TERMINAL_STATUSES.has(invocation.status);
  return {
    CommandId: command.commandId,
    InstanceId: instanceId,
    Comment: command.comment,
    DocumentName: command.documentName,
    DocumentVersion: '$DEFAULT',
    PluginName: PLUGIN_NAME,
    ResponseCode: invocation.responseCode,
    ExecutionStartDateTime: iso(invocation.startedAt),
    ExecutionElapsedTime: elapsed(invocation, context.now),
    ExecutionEndDateTime: iso(invocation.endedAt),
    Status: invocation.status,
    StatusDetails: invocation.statusDetails,
    StandardOutputContent: done ? invocation.stdout : '',
    StandardOutputUrl: '',
    StandardErrorContent: done ? invocation.stderr : '',
    StandardErrorUrl: '',
    CloudWatchOutputConfig: { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false },
  };
}

function cancelCommand(body: JsonObject, context: OperationContext, backend: RunCommandBackend): JsonObject {
  const input = JsonInput.of(body);
  const commandId = readCommandId(input, true)!;
  const instanceIds = input.stringList('InstanceIds', { max: 50 });
  input.finish();
  backend.store.refresh(context.now);
  const command = COMMAND_ID_PATTERN.test(commandId) ? backend.store.get(commandId) : undefined;
  if (!command) throw new AwsError('InvalidCommandId', '');
  for (const invocation of command.invocations.values()) {
    if (instanceIds?.length && !instanceIds.includes(invocation.instanceId)) continue;
    backend.cancel(command, invocation);
  }
  return {};
}

function commandResource(body: JsonObject, context: OperationContext): string {
  const first = Array.isArray(body.InstanceIds) ? body.InstanceIds[0] : undefined;
  return typeof first === 'string'
    ? context.state.arns.managedInstance(first)
    : documentArn(
        context,
        String(body.DocumentName ?? RUN_SHELL_SCRIPT)
          .split('/')
          .pop()!,
      );
}

/** SendCommand, GetCommandInvocation and CancelCommand. */
export function runCommandOperations(backend: RunCommandBackend): Record<string, JsonOperation> {
  return {
    SendCommand: {
      handler: (body, context) => sendCommand(body, context, backend),
      resourceArn: commandResource,
    },
    GetCommandInvocation: { handler: (body, context) => getCommandInvocation(body, context, backend) },
    CancelCommand: { handler: (body, context) => cancelCommand(body, context, backend) },
  };
}
