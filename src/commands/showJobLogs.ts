import * as vscode from 'vscode';
import { formatLogLine } from '../logs/formatLogLine';
import { CloudWatchLogSource, showTrainingJobLogs } from '../logs/trainingJobLogs';
import type { FollowEnd } from '../logs/followLogs';
import type { Logger } from '../util/logger';
import { CancellationSource } from '../util/sleep';
import { SshNodeNode } from '../views/nodes/sshNodeNode';
import type { AwsState } from '../vscode/awsState';
import { trainingJobNameOf } from './nodeTargets';

export interface ShowJobLogsOptions {
  /** `algo-<n>`, or `all`; skips the node choice. */
  readonly node?: string;
  /** Called with every line shown (programmatic use, tests). */
  readonly onLine?: (line: string) => void;
}

export interface ShowJobLogsResult {
  readonly channel: string;
  readonly end: FollowEnd | 'alreadyFollowing';
  readonly lines: number;
}

const allNodes = 'all';

/** One output channel per job (and node choice); a second Show Logs on a followed job just reveals it. */
export class JobLogViewers implements vscode.Disposable {
  private readonly channels = new Map<string, vscode.OutputChannel>();
  private readonly following = new Map<string, CancellationSource>();

  channel(name: string): vscode.OutputChannel {
    let channel = this.channels.get(name);
    if (!channel) {
      channel = vscode.window.createOutputChannel(name);
      this.channels.set(name, channel);
    }
    return channel;
  }

  isFollowing(name: string): boolean {
    return this.following.has(name);
  }

  start(name: string): CancellationSource {
    const cancel = new CancellationSource();
    this.following.set(name, cancel);
    return cancel;
  }

  finish(name: string): void {
    this.following.delete(name);
  }

  dispose(): void {
    for (const cancel of this.following.values()) cancel.cancel();
    for (const channel of this.channels.values()) channel.dispose();
    this.following.clear();
    this.channels.clear();
  }
}

async function chooseNode(
  source: CloudWatchLogSource,
  jobName: string,
  item: unknown,
  options: ShowJobLogsOptions,
): Promise<string | undefined | null> {
  if (item instanceof SshNodeNode) return item.node.name;
  if (options.node) return options.node === allNodes ? undefined : options.node;
  const nodes = await source.nodesOf(jobName);
  if (nodes.length <= 1) return undefined;
  const picked = await vscode.window.showQuickPick(
    [{ label: 'All nodes', node: undefined }, ...nodes.map((node) => ({ label: node, node }))],
    { title: `Show Logs: ${jobName}`, placeHolder: 'Which node’s log?' },
  );
  return picked ? picked.node : null;
}

function endNote(end: FollowEnd): string {
  switch (end) {
    case 'jobEnded':
      return '— the job has ended; end of log —';
    case 'cancelled':
      return '— stopped following —';
    case 'drained':
      return '— end of log —';
  }
}

/**
 * Show Logs on a training job or node: its CloudWatch Logs streams in an output channel, one line
 * per event with time and node, followed live (FilterLogEvents polling) while the job runs.
 */
export async function showJobLogs(
  deps: { readonly aws: AwsState; readonly logger: Logger; readonly viewers: JobLogViewers },
  item: unknown,
  options: ShowJobLogsOptions = {},
): Promise<ShowJobLogsResult | undefined> {
  const { jobName } = trainingJobNameOf(item, 'Show Logs');
  const connection = await deps.aws.connection();
  try {
    const logs = await connection.clients.logs();
    const sagemaker = await connection.clients.sagemaker();
    const source = new CloudWatchLogSource(logs, connection.clients.region);
    const node = await chooseNode(source, jobName, item, options);
    if (node === null) return undefined;
    const name = `SageMaker Logs: ${jobName}${node ? ` (${node})` : ''}`;
    const channel = deps.viewers.channel(name);
    channel.show(true);
    if (deps.viewers.isFollowing(name)) return { channel: name, end: 'alreadyFollowing', lines: 0 };
    channel.clear();
    const cancel = deps.viewers.start(name);
    try {
      const result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Following the log of ${jobName}`,
          cancellable: true,
        },
        (_progress, token) => {
          token.onCancellationRequested(() => cancel.cancel());
          return showTrainingJobLogs({
            logs,
            sagemaker,
            region: connection.clients.region,
            jobName,
            node,
            follow: true,
            signal: cancel,
            onEvent: (event) => {
              const line = formatLogLine(jobName, event);
              channel.appendLine(line);
              options.onLine?.(line);
            },
          });
        },
      );
      channel.appendLine(endNote(result.end));
      return { channel: name, ...result };
    } finally {
      deps.viewers.finish(name);
    }
  } catch (error) {
    throw connection.translate(error);
  }
}
