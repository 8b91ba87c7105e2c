import { randomUUID } from 'node:crypto';
import { encodeAgentFrame, type WireFields } from '../datachannel/agentWire';
import type { AgentSessionStart } from '../datachannel/sessionRegistry';
import type { CommandFinishedMessage, CommandOutcome, EmulatorToAgent } from './agentProtocol';

/**
 * Run Command over AWS's agent's MGS control channel, as the service speaks it
 * (agent/session/contracts, agent/messageservice/interactor/mgsinteractor, agent/runcommand/contracts):
 * the service sends `agent_job` (JobId `aws.ssm.<command id>.<instance id>`, Topic
 * `aws.ssm.sendCommand…`, Content the SendCommand payload with the document); the agent answers
 * `agent_job_ack`, then `agent_job_reply`s (InProgress, then the final status), each of which the
 * service answers with `agent_job_reply_ack`.
 */

/** AWS-RunShellScript as SSM hands it to the agent (schema 1.2, one aws:runShellScript step). */
const RUN_SHELL_SCRIPT = {
  schemaVersion: '1.2',
  description: 'Run a shell script or specify the commands to run.',
  parameters: {
    commands: {
      type: 'StringList',
      description: '(Required) Specify a shell script or a command to run.',
      minItems: 1,
      displayType: 'textarea',
    },
    workingDirectory: {
      type: 'String',
      default: '',
      description: '(Optional) The path to the working directory on your instance.',
      maxChars: 4096,
    },
    executionTimeout: {
      type: 'String',
      default: '3600',
      description:
        '(Optional) The time in seconds for a command to complete before it is considered to have failed.',
      allowedPattern: '([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800)',
    },
  },
  runtimeConfig: {
    'aws:runShellScript': {
      properties: [
        {
          id: '0.aws:runShellScript',
          runCommand: '{{ commands }}',
          workingDirectory: '{{ workingDirectory }}',
          timeoutSeconds: '{{ executionTimeout }}',
        },
      ],
    },
  },
};

function jobId(commandId: string, instanceId: string): string {
  return `aws.ssm.${commandId}.${instanceId}`;
}

function agentMessage(messageType: string, payload: unknown): Buffer {
  return encodeAgentFrame({
    messageType,
    sequenceNumber: 0,
    flags: 0,
    payloadType: 0,
    payload: Buffer.from(JSON.stringify(payload)),
  });
}

/** The `agent_job` frame for a stand-in protocol message (run or cancel). */
export function agentJobFrame(message: EmulatorToAgent, instanceId: string, region: string): Buffer {
  if (message.type === 'runCommand') {
    const content = {
      Parameters: {
        commands: message.commands,
        workingDirectory: message.workingDirectory ?? '',
        executionTimeout: String(message.executionTimeoutSeconds),
      },
      DocumentContent: RUN_SHELL_SCRIPT,
      CommandId: message.commandId,
      DocumentName: 'AWS-RunShellScript',
      OutputS3KeyPrefix: '',
      OutputS3BucketName: '',
      CloudWatchLogGroupName: '',
      CloudWatchOutputEnabled: 'false',
    };
    return agentMessage('agent_job', {
      Content: JSON.stringify(content),
      JobId: jobId(message.commandId, instanceId),
      Topic: `aws.ssm.sendCommand.${region}.${instanceId}`,
      SchemaVersion: 1,
    });
  }
  return agentMessage('agent_job', {
    Content: JSON.stringify({ CancelMessageId: jobId(message.commandId, instanceId) }),
    JobId: jobId(randomUUID(), instanceId),
    Topic: `aws.ssm.cancelCommand.${region}.${instanceId}`,
    SchemaVersion: 1,
  });
}

/**
 * The command an `agent_job_ack` accepts (its JobId is `aws.ssm.<command id>.<instance id>`), or
 * undefined for another message or a cancel's ack. A duplicate (status 51405) counts: the agent
 * already has the job.
 */
export function readJobAck(message: WireFields): string | undefined {
  if (message.messageType !== 'agent_job_ack') return undefined;
  let ack: { JobId?: unknown };
  try {
    ack = JSON.parse(message.payload.toString('utf8')) as { JobId?: unknown };
  } catch {
    return undefined;
  }
  return typeof ack.JobId === 'string' ? /^aws\.ssm\.(.+)\.mi-[0-9a-f]+$/.exec(ack.JobId)?.[1] : undefined;
}

/** What an `agent_job_reply` means for the command store. */
export type JobReply =
  | { readonly kind: 'started'; readonly commandId: string }
  | { readonly kind: 'finished'; readonly result: CommandFinishedMessage }
  | { readonly kind: 'other' };

interface PluginStatus {
  readonly status?: string;
  readonly code?: number;
  readonly standardOutput?: string;
  readonly standardError?: string;
}

const OUTCOMES: Readonly<Record<string, CommandOutcome>> = {
  Success: 'exited',
  Failed: 'exited',
  TimedOut: 'timedOut',
  Cancelled: 'cancelled',
};

/** Reads an `agent_job_reply`; also returns the `agent_job_reply_ack` frame the agent waits for. */
export function readJobReply(message: WireFields): { reply: JobReply; ack: Buffer } | undefined {
  let outer: { jobId?: string; content?: string };
  let content: { documentStatus?: string; runtimeStatus?: Record<string, PluginStatus> };
  try {
    outer = JSON.parse(message.payload.toString('utf8')) as typeof outer;
    content = JSON.parse(outer.content ?? '{}') as typeof content;
  } catch {
    return undefined;
  }
  const ack = agentMessage('agent_job_reply_ack', {
    jobId: outer.jobId ?? '',
    acknowledgedMessageId: message.messageId,
  });
  const commandId = /^aws\.ssm\.(.+)\.[^.]+$/.exec(outer.jobId ?? '')?.[1];
  if (!commandId) return { reply: { kind: 'other' }, ack };
  const status = content.documentStatus ?? '';
  if (status === 'InProgress') return { reply: { kind: 'started', commandId }, ack };
  const outcome = OUTCOMES[status];
  if (!outcome) return { reply: { kind: 'other' }, ack };
  const plugin = Object.values(content.runtimeStatus ?? {})[0] ?? {};
  return {
    reply: {
      kind: 'finished',
      result: {
        type: 'commandFinished',
        commandId,
        outcome,
        exitCode: plugin.code ?? (status === 'Success' ? 0 : 1),
        stdout: plugin.standardOutput ?? '',
        stderr: plugin.standardError ?? '',
      },
    },
    ack,
  };
}

/** What StartSession hands to the agent for one session: the registry's task and its owner. */
export interface SessionTask extends AgentSessionStart {
  /** The caller's ARN (Session Manager's session owner). */
  readonly owner: string;
  /** Run shells as this user (the session preferences' runAsEnabled/runAsDefaultUser); else ssm-user. */
  readonly runAsUser?: string;
}

/**
 * The `interactive_shell` AgentMessage (MGSPayload wrapping an AgentTaskPayload,
 * agent/session/contracts/model.go) that
 * starts a session on the agent; its ssm-session-worker then opens the session's data channel.
 */
export function interactiveShellFrame(task: SessionTask): Buffer {
  // MGSPayload: the AgentTaskPayload travels as a JSON string in Content.
  const content = {
    DocumentName: task.documentName,
    DocumentContent: {
      schemaVersion: '1.0',
      description: `${task.documentName} (served by the AWS emulator)`,
      sessionType: task.sessionType,
      inputs: task.runAsUser ? { runAsEnabled: true, runAsDefaultUser: task.runAsUser } : {},
      parameters: Object.fromEntries(
        Object.keys(task.parameters).map((name) => [name, { type: 'String', description: name }]),
      ),
      properties: task.properties,
    },
    SessionId: task.sessionId,
    Parameters: task.parameters,
    RunAsUser: task.runAsUser ?? '',
    SessionOwner: task.owner,
  };
  return agentMessage('interactive_shell', {
    Content: JSON.stringify(content),
    TaskId: task.sessionId,
    Topic: 'aws.ssm.sessionManager.start',
    SchemaVersion: 1,
  });
}

/**
 * The `agent_task_acknowledge` the service answers an `agent_task_complete` (a session ended) with;
 * without it the agent keeps the reply and sends it again later.
 */
export function taskCompleteAck(message: WireFields): Buffer | undefined {
  let payload: { TaskId?: unknown; Topic?: unknown };
  try {
    payload = JSON.parse(message.payload.toString('utf8')) as typeof payload;
  } catch {
    return undefined;
  }
  return agentMessage('agent_task_acknowledge', {
    SchemaVersion: 1,
    MessageId: message.messageId,
    TaskId: typeof payload.TaskId === 'string' ? payload.TaskId : '',
    Topic: typeof payload.Topic === 'string' ? payload.Topic : '',
  });
}
