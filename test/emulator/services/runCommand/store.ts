import {
  MAX_STDERR_CHARS,
  MAX_STDOUT_CHARS,
  type CommandFinishedMessage,
} from '../../containers/agentProtocol';

export type InvocationStatus =
  'Pending' | 'InProgress' | 'Success' | 'Failed' | 'TimedOut' | 'Cancelling' | 'Cancelled';

/** One instance's part of a command (what GetCommandInvocation describes). */
export interface InvocationRecord {
  readonly commandId: string;
  readonly instanceId: string;
  status: InvocationStatus;
  statusDetails: string;
  /** -1 until the agent reports an exit code, as on AWS. */
  responseCode: number;
  stdout: string;
  stderr: string;
  delivered: boolean;
  startedAt?: Date;
  endedAt?: Date;
}

export interface CommandRecord {
  readonly commandId: string;
  readonly documentName: string;
  readonly comment: string;
  readonly parameters: Record<string, string[]>;
  readonly commands: readonly string[];
  readonly executionTimeoutSeconds: number;
  readonly workingDirectory?: string;
  /** Delivery timeout (SendCommand TimeoutSeconds). */
  readonly timeoutSeconds: number;
  readonly requestedAt: Date;
  /** GetCommandInvocation answers InvocationDoesNotExist until then, as AWS briefly does. */
  readonly visibleAt: Date;
  readonly instanceIds: readonly string[];
  readonly targets: readonly { Key: string; Values: string[] }[];
  readonly invocations: Map<string, InvocationRecord>;
}

export const TERMINAL_STATUSES: ReadonlySet<InvocationStatus> = new Set([
  'Success',
  'Failed',
  'TimedOut',
  'Cancelled',
]);

/** How long an InProgress invocation whose agent went silent stays InProgress after its execution timeout. */
const LOST_AGENT_GRACE_MS = 5_000;

/** Commands by id, in the order they were sent. */
export class CommandStore {
  private readonly byId = new Map<string, CommandRecord>();

  add(command: CommandRecord): void {
    this.byId.set(command.commandId, command);
  }

  get(commandId: string): CommandRecord | undefined {
    return this.byId.get(commandId);
  }

  all(): CommandRecord[] {
    return [...this.byId.values()];
  }

  /** Invocations for `instanceId` that still wait for their agent, oldest first. */
  undelivered(instanceId: string): { command: CommandRecord; invocation: InvocationRecord }[] {
    const found = [];
    for (const command of this.byId.values()) {
      const invocation = command.invocations.get(instanceId);
      if (invocation && !invocation.delivered && invocation.status === 'Pending')
        found.push({ command, invocation });
    }
    return found;
  }

  /** Applies the time-driven transitions that are due: delivery and lost-agent timeouts. */
  refresh(now: Date): void {
    for (const command of this.byId.values()) {
      for (const invocation of command.invocations.values()) {
        const deliveryDeadline = command.requestedAt.getTime() + command.timeoutSeconds * 1000;
        if (invocation.status === 'Pending' && !invocation.delivered && now.getTime() >= deliveryDeadline) {
          this.finish(invocation, 'TimedOut', 'DeliveryTimedOut', new Date(deliveryDeadline));
        }
        const executionDeadline =
          (invocation.startedAt?.getTime() ?? Infinity) +
          command.executionTimeoutSeconds * 1000 +
          LOST_AGENT_GRACE_MS;
        if (invocation.status === 'InProgress' && now.getTime() >= executionDeadline) {
          this.finish(invocation, 'TimedOut', 'ExecutionTimedOut', new Date(executionDeadline));
        }
      }
    }
  }

  markDelivered(invocation: InvocationRecord): void {
    invocation.delivered = true;
  }

  markStarted(invocation: InvocationRecord, at: Date): void {
    if (TERMINAL_STATUSES.has(invocation.status)) return;
    invocation.delivered = true;
    invocation.status = invocation.status === 'Cancelling' ? 'Cancelling' : 'InProgress';
    invocation.statusDetails = invocation.status;
    invocation.startedAt = at;
  }

  /** The agent's report: exit code, output (truncated like AWS), and the status it implies. */
  markFinished(invocation: InvocationRecord, result: CommandFinishedMessage, at: Date): void {
    if (TERMINAL_STATUSES.has(invocation.status)) return;
    invocation.responseCode = result.exitCode;
    invocation.stdout = result.stdout.slice(0, MAX_STDOUT_CHARS);
    invocation.stderr = result.stderr.slice(0, MAX_STDERR_CHARS);
    invocation.startedAt ??= at;
    if (result.outcome === 'cancelled') this.finish(invocation, 'Cancelled', 'Cancelled', at);
    else if (result.outcome === 'timedOut') this.finish(invocation, 'TimedOut', 'ExecutionTimedOut', at);
    else if (result.exitCode === 0) this.finish(invocation, 'Success', 'Success', at);
    else this.finish(invocation, 'Failed', 'Failed', at);
  }

  markCancelling(invocation: InvocationRecord, at: Date): void {
    if (TERMINAL_STATUSES.has(invocation.status)) return;
    if (invocation.status === 'Pending' && !invocation.delivered) {
      this.finish(invocation, 'Cancelled', 'Cancelled', at);
      return;
    }
    invocation.status = 'Cancelling';
    invocation.statusDetails = 'Cancelling';
  }

  private finish(invocation: InvocationRecord, status: InvocationStatus, details: string, at: Date): void {
    invocation.status = status;
    invocation.statusDetails = details;
    invocation.endedAt = at;
  }
}
