import type { AgentHub } from '../../containers/agentHub';
import type { Emulator } from '../../emulator';
import { runCommandOperations, type RunCommandBackend } from './operations';
import { CommandStore, TERMINAL_STATUSES, type CommandRecord, type InvocationRecord } from './store';

export { CommandStore } from './store';
export type { CommandRecord, InvocationRecord, InvocationStatus } from './store';

export interface RunCommandOptions {
  /** How long GetCommandInvocation answers InvocationDoesNotExist after SendCommand (default 100 ms). */
  readonly visibilityDelayMs?: number;
}

/** How long a job sent to AWS's agent may go unacknowledged (`agent_job_ack`) before it is sent again. */
const REDELIVER_AFTER_MS = 2000;

/**
 * SSM Run Command (AWS-RunShellScript) for an emulator: SendCommand, GetCommandInvocation and
 * CancelCommand. Invocations go to the instance's agent
 * over its control channel (the hub), immediately or as soon as the agent connects; an instance
 * whose agent never connects times out with DeliveryTimedOut after TimeoutSeconds, as on AWS.
 */
export function installRunCommand(
  emulator: Emulator,
  hub: AgentHub,
  options: RunCommandOptions = {},
): CommandStore {
  const store = new CommandStore();
  const now = (): Date => emulator.state.now();
  const deliver = (command: CommandRecord, invocation: InvocationRecord): void => {
    if (invocation.delivered || TERMINAL_STATUSES.has(invocation.status)) return;
    const sent = hub.send(invocation.instanceId, {
      type: 'runCommand',
      commandId: command.commandId,
      commands: command.commands,
      executionTimeoutSeconds: command.executionTimeoutSeconds,
      workingDirectory: command.workingDirectory,
    });
    if (!sent) return;
    store.markDelivered(invocation);
    if (hub.connection(invocation.instanceId)?.kind === 'mgs') awaitAcceptance(command, invocation);
  };
  // AWS's agent drops a job that arrives before its document worker is up ("dropping message because
  // the channel is not open") without acknowledging it; the service sends an unacknowledged job again.
  const accepted = new Set<string>();
  const acceptanceKey = (commandId: string, instanceId: string): string => `${commandId} ${instanceId}`;
  const awaitAcceptance = (command: CommandRecord, invocation: InvocationRecord): void => {
    setTimeout(() => {
      const key = acceptanceKey(command.commandId, invocation.instanceId);
      if (accepted.has(key) || invocation.status !== 'Pending') return;
      store.refresh(now());
      if (invocation.status !== 'Pending' || !hub.connection(invocation.instanceId)) return;
      invocation.delivered = false;
      deliver(command, invocation);
    }, REDELIVER_AFTER_MS).unref();
  };
  const backend: RunCommandBackend = {
    store,
    deliver,
    cancel: (command, invocation) => {
      store.markCancelling(invocation, now());
      if (invocation.status === 'Cancelling')
        hub.send(invocation.instanceId, { type: 'cancelCommand', commandId: command.commandId });
    },
    visibilityDelayMs: options.visibilityDelayMs ?? 100,
  };
  emulator.addOperations('ssm', runCommandOperations(backend));
  hub.on('connected', (connection) => {
    store.refresh(now());
    for (const { command, invocation } of store.undelivered(connection.instanceId))
      deliver(command, invocation);
  });
  hub.on('commandAccepted', (instanceId, commandId) => accepted.add(acceptanceKey(commandId, instanceId)));
  hub.on('commandStarted', (instanceId, commandId) => {
    accepted.add(acceptanceKey(commandId, instanceId));
    const invocation = store.get(commandId)?.invocations.get(instanceId);
    if (invocation) store.markStarted(invocation, now());
  });
  hub.on('commandFinished', (instanceId, result) => {
    const invocation = store.get(result.commandId)?.invocations.get(instanceId);
    if (invocation) store.markFinished(invocation, result, now());
  });
  return store;
}
