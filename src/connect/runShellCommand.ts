import type { SSMClient } from '@aws-sdk/client-ssm';
import { sleep } from '../util/sleep';
import type { CancellationSignal } from '../util/sleep';
import {
  OperationCancelledError,
  RemoteCommandFailedError,
  RemoteCommandTimeoutError,
} from './connectErrors';

export interface ShellCommandRequest {
  readonly instanceId: string;
  readonly lines: readonly string[];
  /** For messages and the SSM command history, e.g. "Installing the SSH key". */
  readonly purpose: string;
  readonly timeoutSeconds?: number;
  readonly signal?: CancellationSignal;
}

export interface ShellCommandResult {
  readonly commandId: string;
  readonly stdout: string;
  readonly stderr: string;
}

const terminalStatuses = new Set([
  'Success',
  'Failed',
  'Cancelled',
  'TimedOut',
  'DeliveryTimedOut',
  'ExecutionTimedOut',
  'Undeliverable',
  'Terminated',
  'InvalidPlatform',
  'AccessDenied',
]);

/** Poll delays: fast first (a container answers in well under a second), capped at 1 s. */
export function pollDelays(): Iterable<number> {
  return (function* () {
    let delay = 50;
    for (;;) {
      yield delay;
      delay = Math.min(delay * 2, 1000);
    }
  })();
}

function isInvocationMissing(error: unknown): boolean {
  return (error as { name?: string }).name === 'InvocationDoesNotExist';
}

/**
 * Runs a shell script with SSM SendCommand (AWS-RunShellScript) on one instance and waits for its
 * result, polling GetCommandInvocation with backoff. No fixed sleeps: a freshly sent command may
 * briefly be unknown to GetCommandInvocation, which we treat as "not yet".
 */
export async function runShellCommand(
  ssm: SSMClient,
  request: ShellCommandRequest,
): Promise<ShellCommandResult> {
  const { SendCommandCommand, GetCommandInvocationCommand } = await import('@aws-sdk/client-ssm');
  const timeoutSeconds = request.timeoutSeconds ?? 60;
  const sent = await ssm.send(
    new SendCommandCommand({
      InstanceIds: [request.instanceId],
      DocumentName: 'AWS-RunShellScript',
      Comment: `SageMaker SSH: ${request.purpose}`.slice(0, 100),
      TimeoutSeconds: 30,
      Parameters: { commands: [...request.lines], executionTimeout: [String(timeoutSeconds)] },
    }),
  );
  const commandId = sent.Command?.CommandId;
  if (!commandId) {
    throw new Error('SSM SendCommand returned no command id');
  }
  const deadline = Date.now() + (timeoutSeconds + 30) * 1000;
  for (const delay of pollDelays()) {
    if (request.signal?.cancelled) {
      throw new OperationCancelledError(request.purpose);
    }
    await sleep(delay, request.signal);
    try {
      const out = await ssm.send(
        new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: request.instanceId }),
      );
      const status = out.Status ?? 'Pending';
      if (terminalStatuses.has(status)) {
        const result = {
          commandId,
          stdout: out.StandardOutputContent ?? '',
          stderr: out.StandardErrorContent ?? '',
        };
        if (status !== 'Success') {
          throw new RemoteCommandFailedError(
            request.purpose,
            request.instanceId,
            out.StatusDetails ?? status,
            result.stderr,
          );
        }
        return result;
      }
    } catch (error) {
      if (!isInvocationMissing(error)) {
        throw error;
      }
    }
    if (Date.now() > deadline) {
      throw new RemoteCommandTimeoutError(request.purpose, request.instanceId, timeoutSeconds);
    }
  }
  throw new Error('unreachable');
}
