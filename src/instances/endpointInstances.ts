import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { isAwsError } from '../util/errors';
import { abortable } from '../util/sleep';
import type { CancellationSignal } from '../util/sleep';

/*
 * Endpoint containers cannot learn their endpoint's name, so their SSM registrations carry no
 * SSHResourceName (upstream issue #19). What ties a registration to an endpoint is the container's
 * log: sm-init-ssm passes on amazon-ssm-agent's "Successfully registered the instance with AWS SSM
 * using Managed instance-id: mi-…" line, and SageMaker writes the container's output to
 * /aws/sagemaker/Endpoints/<endpoint>, stream AllTraffic/<instance>. Upstream reads it with Logs
 * Insights (StartQuery + polling); FilterLogEvents answers in one call.
 */

const REGISTERED = /Managed instance-id: (mi-[0-9a-f]{17})/;
/** Upstream looks two weeks back. */
const LOOKBACK_MS = 14 * 86_400_000;
const MAX_PAGES = 5;

export function endpointLogGroup(endpointName: string): string {
  return `/aws/sagemaker/Endpoints/${endpointName}`;
}

/**
 * The managed instances the endpoint's containers registered, newest registration first (a
 * restarted container registers again). None when the endpoint has no log group yet.
 */
export async function endpointInstanceIds(
  logs: CloudWatchLogsClient,
  endpointName: string,
  options: { readonly now?: Date; readonly signal?: CancellationSignal } = {},
): Promise<string[]> {
  const { FilterLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  const now = (options.now ?? new Date()).getTime();
  const found: { id: string; at: number }[] = [];
  let nextToken: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: endpointLogGroup(endpointName),
          logStreamNamePrefix: 'AllTraffic/',
          filterPattern: '"Managed instance-id"',
          startTime: now - LOOKBACK_MS,
          nextToken,
        }),
        abortable(options.signal),
      );
      for (const event of out.events ?? []) {
        const id = REGISTERED.exec(event.message ?? '')?.[1];
        if (id) found.push({ id, at: event.timestamp ?? 0 });
      }
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return [];
    throw error;
  }
  const newestFirst = found.sort((a, b) => b.at - a.at).map((f) => f.id);
  return [...new Set(newestFirst)];
}
