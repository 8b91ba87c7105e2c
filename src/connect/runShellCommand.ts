import type { SSMClient } from '@aws-sdk/client-ssm';
import { abortable, sleep, wasAborted } from '../util/sleep';
import type { CancellationSignal } from '../util/sleep';
import {
  AgentStoppedRespondingError,
  InstanceGoneError,
  OperationCancelledError,
  RemoteCommandFailedError,
  RemoteCommandTimeoutError,
} from './connectErrors';
import { errorName } from '../util/errors';

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
  return errorName(error) === 'InvocationDoesNotExist';
}

/** After this long without a result, each poll also checks that the agent is still connected. */
const agentCheckAfterMs = 3000;
const agentCheckEveryMs = 3000;

/**
 * The instance's PingStatus, 'gone' when SSM no longer knows it, or undefined when we may not ask
 * (the check is a courtesy: it must not fail a command that may still finish).
 */
async function pingStatus(
  ssm: SSMClient,
  instanceId: string,
  signal: CancellationSignal | undefined,
): Promise<string | undefined> {
  const { DescribeInstanceInformationCommand } = await import('@aws-sdk/client-ssm');
  try {
    const out = await ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [instanceId] }] }),
      abortable(signal),
    );
    return out.InstanceInformationList?.[0]?.PingStatus ?? 'gone';
  } catch (error) {
    if (wasAborted(error, signal)) throw error;
    return errorName(error) === 'InvalidInstanceId' ? 'gone' : undefined;
  }
}

async function sendCommand(
  ssm: SSMClient,
  request: ShellCommandRequest,
  timeoutSeconds: number,
): Promise<string> {
  const { SendCommandCommand } = await import('@aws-sdk/client-ssm');
  try {
    const sent = await ssm.send(
      new SendCommandCommand({
        InstanceIds: [request.instanceId],
        DocumentName: 'AWS-RunShellScript',
        Comment: `SageMaker SSH: ${request.purpose}`.slice(0, 100),
        TimeoutSeconds: 30,
        Parameters: { commands: [...request.lines], executionTimeout: [String(timeoutSeconds)] },
      }),
      abortable(request.signal),
    );
    const commandId = sent.Command?.CommandId;
    if (!commandId) {
      throw new Error('SSM SendCommand returned no command id');
    }
    return commandId;
  } catch (error) {
    // SSM's answer for an instance that is offline or deregistered ("not in a valid state").
    if (errorName(error) === 'InvalidInstanceId') {
      throw new InstanceGoneError(request.purpose, request.instanceId);
    }
    throw error;
  }
}

/**
 * Runs a shell script with SSM SendCommand (AWS-RunShellScript) on one instance and waits for its
 * result, polling GetCommandInvocation with backoff. No fixed sleeps: a freshly sent command may
 * briefly be unknown to GetCommandInvocation, which we treat as "not yet". Cancelling the request's
 * signal aborts the SDK call in flight and rejects with OperationCancelledError.
 */
export async function runShellCommand(
  ssm: SSMClient,
  request: ShellCommandRequest,
): Promise<ShellCommandResult> {
  try {
    return await sendAndWait(ssm, request);
  } catch (error) {
    throw wasAborted(error, request.signal) ? new OperationCancelledError(request.purpose) : error;
  }
}

async function sendAndWait(ssm: SSMClient, request: ShellCommandRequest): Promise<ShellCommandResult> {
  const { GetCommandInvocationCommand } = await import('@aws-sdk/client-ssm');
  const timeoutSeconds = request.timeoutSeconds ?? 60;
  const commandId = await sendCommand(ssm, request, timeoutSeconds);
  const started = Date.now();
  const deadline = started + (timeoutSeconds + 30) * 1000;
  let nextAgentCheck = started + agentCheckAfterMs;
  for (const delay of pollDelays()) {
    if (request.signal?.cancelled) {
      throw new OperationCancelledError(request.purpose);
    }
    await sleep(delay, request.signal);
    try {
      const out = await ssm.send(
        new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: request.instanceId }),
        abortable(request.signal),
      );
      const status = out.Status ?? 'Pending';
      if (terminalStatuses.has(status)) {
        const result = {
          commandId,
          stdout: out.StandardOutputContent ?? '',
          stderr: out.StandardErrorContent ?? '',
        };
        if (status === 'Success') return result;
        // Timed out without an exit code: the agent never reported back (it died or lost its channel).
        if (status === 'TimedOut' && (out.ResponseCode ?? -1) === -1 && !result.stderr.trim()) {
          const ping = await pingStatus(ssm, request.instanceId, request.signal);
          throw new AgentStoppedRespondingError(request.purpose, request.instanceId, ping);
        }
        throw new RemoteCommandFailedError(
          request.purpose,
          request.instanceId,
          out.StatusDetails ?? status,
          result.stderr,
        );
      }
    } catch (error) {
      if (!isInvocationMissing(error)) {
        throw error;
      }
    }
    if (Date.now() >= nextAgentCheck) {
      nextAgentCheck = Date.now() + agentCheckEveryMs;
      const ping = await pingStatus(ssm, request.instanceId, request.signal);
      if (ping !== undefined && ping !== 'Online') {
        throw new AgentStoppedRespondingError(request.purpose, request.instanceId, ping);
      }
    }
    if (Date.now() > deadline) {
      throw new RemoteCommandTimeoutError(request.purpose, request.instanceId, timeoutSeconds);
    }
  }
  throw new Error('unreachable');
}
