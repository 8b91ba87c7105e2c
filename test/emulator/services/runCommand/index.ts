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
    if (sent) store.markDelivered(invocation);
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
  hub.on('commandStarted', (instanceId, commandId) => {
    const invocation = store.get(commandId)?.invocations.get(instanceId);
    if (invocation) store.markStarted(invocation, now());
  });
  hub.on('commandFinished', (instanceId, result) => {
    const invocation = store.get(result.commandId)?.invocations.get(instanceId);
    if (invocation) store.markFinished(invocation, result, now());
  });
  return store;
}
