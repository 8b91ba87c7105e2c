/**
 * The control channel between the emulator and a stand-in amazon-ssm-agent: a WebSocket the agent
 * opens at `/v1/control-channel/<managed instance id>` (SigV4-signed with the container's role
 * credentials, service `ssmmessages`), carrying JSON text frames. The real agent has such a channel
 * too; this one carries only what the emulator needs: Run Command deliveries and their results.
 * While the channel is open the instance is Online; when it closes, the instance is ConnectionLost.
 */
export const CONTROL_CHANNEL_PREFIX = '/v1/control-channel/';

/** Limits of the real agent (appconfig.MaxStdoutLength / MaxStderrLength). */
export const MAX_STDOUT_CHARS = 24_000;
export const MAX_STDERR_CHARS = 8_000;

/** The agent's exit code for a command it killed (timeout or cancel): 128 + SIGKILL. */
export const STOPPED_PREEMPTIVELY_EXIT_CODE = 137;

export interface RunCommandMessage {
  readonly type: 'runCommand';
  readonly commandId: string;
  readonly commands: readonly string[];
  readonly executionTimeoutSeconds: number;
  readonly workingDirectory?: string;
}

export interface CancelCommandMessage {
  readonly type: 'cancelCommand';
  readonly commandId: string;
}

export type EmulatorToAgent = RunCommandMessage | CancelCommandMessage;

export interface HelloMessage {
  readonly type: 'hello';
  /** SM_EMULATOR_CONTAINER_ID of the agent's environment: which simulated container this is. */
  readonly containerId?: string;
  readonly agentVersion: string;
}

export interface CommandStartedMessage {
  readonly type: 'commandStarted';
  readonly commandId: string;
}

export type CommandOutcome = 'exited' | 'timedOut' | 'cancelled';

export interface CommandFinishedMessage {
  readonly type: 'commandFinished';
  readonly commandId: string;
  readonly outcome: CommandOutcome;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type AgentToEmulator = HelloMessage | CommandStartedMessage | CommandFinishedMessage;

/** Parses one frame from the other side; undefined for anything that is not a known message. */
export function parseMessage<T extends { type: string }>(
  data: string,
  types: readonly T['type'][],
): T | undefined {
  try {
    const value = JSON.parse(data) as { type?: unknown };
    return typeof value === 'object' && value !== null && types.includes(value.type as T['type'])
      ? (value as T)
      : undefined;
  } catch {
    return undefined;
  }
}
