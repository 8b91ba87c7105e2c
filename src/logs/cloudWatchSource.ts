import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { AdviceSurface } from '../aws/awsContext';
import { errorName } from '../util/errors';
import { abortable } from '../util/sleep';
import type { CancellationSignal } from '../util/sleep';
import type { FilterEventsPage, FilterEventsRequest, LogEventsSource } from './followLogs';
import { nodeOfStream, sortNodes, streamPrefixOf, trainingJobsLogGroup } from './trainingLogStreams';
import { LogGroupNotFoundError } from './logsErrors';

function isNotFound(error: unknown): boolean {
  return errorName(error) === 'ResourceNotFoundException';
}

/** FilterLogEvents and DescribeLogStreams on the SDK client; a missing log group becomes LogGroupNotFoundError. */
export class CloudWatchLogSource implements LogEventsSource {
  constructor(
    private readonly client: CloudWatchLogsClient,
    private readonly region: string,
    /** Whose advice a missing log group gets (default: the extension's). */
    private readonly surface?: AdviceSurface,
  ) {}

  async filterEvents(request: FilterEventsRequest, signal?: CancellationSignal): Promise<FilterEventsPage> {
    const { FilterLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    try {
      const out = await this.client.send(new FilterLogEventsCommand(request), abortable(signal));
      return {
        events: (out.events ?? []).map((event) => ({
          logStreamName: event.logStreamName ?? '',
          timestamp: event.timestamp ?? 0,
          message: event.message ?? '',
          eventId: event.eventId ?? `${event.logStreamName}/${event.timestamp}/${event.message}`,
        })),
        nextToken: out.nextToken,
      };
    } catch (error) {
      throw isNotFound(error) ? new LogGroupNotFoundError(this.region, error, this.surface) : error;
    }
  }

  /** The nodes (`algo-<n>`) that have a stream for the job, in natural order. */
  async nodesOf(jobName: string): Promise<string[]> {
    const { DescribeLogStreamsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const nodes: string[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const out = await this.client.send(
          new DescribeLogStreamsCommand({
            logGroupName: trainingJobsLogGroup,
            logStreamNamePrefix: streamPrefixOf(jobName),
            nextToken,
          }),
        );
        for (const stream of out.logStreams ?? []) {
          const node = nodeOfStream(jobName, stream.logStreamName ?? '');
          if (node) nodes.push(node);
        }
        nextToken = out.nextToken;
      } while (nextToken);
    } catch (error) {
      throw isNotFound(error) ? new LogGroupNotFoundError(this.region, error, this.surface) : error;
    }
    return sortNodes(nodes);
  }
}

const terminalStatuses = new Set(['Completed', 'Failed', 'Stopped']);

/** True once DescribeTrainingJob reports Completed, Failed or Stopped. */
export async function trainingJobEnded(
  client: SageMakerClient,
  jobName: string,
  signal?: CancellationSignal,
): Promise<boolean> {
  const { DescribeTrainingJobCommand } = await import('@aws-sdk/client-sagemaker');
  const out = await client.send(
    new DescribeTrainingJobCommand({ TrainingJobName: jobName }),
    abortable(signal),
  );
  return terminalStatuses.has(out.TrainingJobStatus ?? '');
}
