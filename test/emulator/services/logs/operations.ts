import { AwsError } from '../../errors';
import type { JsonObject, JsonOperation, OperationContext } from '../../operations';
import type { SortKey, SortOrder } from '../../pagination';
import type { LogEventRecord, LogGroupRecord, LogStore, LogStreamRecord } from './store';

/** CloudWatch Logs answers bad input with InvalidParameterException, not ValidationException. */
function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}

function invalidNextToken(): AwsError {
  return invalidParameter('The specified nextToken is invalid. Start again without nextToken.');
}

function optionalString(body: JsonObject, member: string, max: number): string | undefined {
  const value = body[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw invalidParameter(`${member} must be a string of 1 to ${max} characters.`);
  }
  return value;
}

function optionalInteger(body: JsonObject, member: string, min: number, max: number): number | undefined {
  const value = body[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(`${member} must be an integer from ${min} to ${max}.`);
  }
  return value;
}

/** logGroupName or logGroupIdentifier (a name or an ARN), exactly one. */
function readGroup(store: LogStore, body: JsonObject): LogGroupRecord {
  const name = optionalString(body, 'logGroupName', 512);
  const identifier = optionalString(body, 'logGroupIdentifier', 2048);
  if ((name === undefined) === (identifier === undefined)) {
    throw invalidParameter('Specify exactly one of logGroupName and logGroupIdentifier.');
  }
  const groupName = name ?? groupNameOfIdentifier(identifier!);
  const group = store.group(groupName);
  if (!group) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
  return group;
}

function groupNameOfIdentifier(identifier: string): string {
  const match = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(identifier);
  return match ? match[1]! : identifier;
}

function groupArn(body: JsonObject, context: OperationContext): string | undefined {
  const raw = body.logGroupName ?? body.logGroupIdentifier;
  if (typeof raw !== 'string') return undefined;
  const { partition, region, account } = context.state.arns;
  return `arn:${partition}:logs:${region}:${account}:log-group:${groupNameOfIdentifier(raw)}:*`;
}

function streamShape(stream: LogStreamRecord, context: OperationContext): JsonObject {
  const { partition, region, account } = context.state.arns;
  return {
    logStreamName: stream.logStreamName,
    creationTime: stream.creationTime,
    firstEventTimestamp: stream.firstEventTimestamp,
    lastEventTimestamp: stream.lastEventTimestamp,
    lastIngestionTime: stream.lastIngestionTime,
    arn: `arn:${partition}:logs:${region}:${account}:log-group:${stream.logGroupName}:log-stream:${stream.logStreamName}`,
    storedBytes: 0,
  };
}

function describeLogStreams(store: LogStore): JsonOperation['handler'] {
  return (body, context) => {
    const group = readGroup(store, body);
    const prefix = optionalString(body, 'logStreamNamePrefix', 512);
    const orderBy = optionalString(body, 'orderBy', 32) ?? 'LogStreamName';
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
      throw invalidParameter('orderBy must be LogStreamName or LastEventTime.');
    }
    if (orderBy === 'LastEventTime' && prefix !== undefined) {
      throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
    }
    const descending = body.descending === true;
    const limit = optionalInteger(body, 'limit', 1, 50) ?? 50;
    const nextToken = optionalString(body, 'nextToken', 4096);
    const order: SortOrder<LogStreamRecord> = {
      key: (stream): SortKey =>
        orderBy === 'LastEventTime'
          ? [stream.lastEventTimestamp ?? 0, stream.logStreamName]
          : [stream.logStreamName],
      descending,
    };
    const page = context.pagination.page({
      scope: `DescribeLogStreams:${JSON.stringify([group.logGroupName, prefix, orderBy, descending])}`,
      version: store.version,
      items: () => [...group.streams.values()].filter((s) => !prefix || s.logStreamName.startsWith(prefix)),
      order,
      nextToken,
      limit,
      invalidToken: invalidNextToken,
    });
    return {
      logStreams: page.items.map((stream) => streamShape(stream, context)),
      nextToken: page.nextToken,
    };
  };
}

function readStreamNames(body: JsonObject): string[] | undefined {
  const value = body.logStreamNames;
  if (value === undefined || value === null) return undefined;
  if (
    !Array.isArray(value) ||
    value.length < 1 ||
    value.length > 100 ||
    value.some((v) => typeof v !== 'string')
  ) {
    throw invalidParameter('logStreamNames must be a list of 1 to 100 stream names.');
  }
  return value as string[];
}

/** Plain terms only: every term must occur in the message (quoted phrases count as one term). */
function matchesPattern(message: string, pattern: string | undefined): boolean {
  if (!pattern) return true;
  const terms = pattern.match(/"[^"]*"|\S+/g) ?? [];
  return terms.every((term) => message.includes(term.replace(/^"|"$/g, '')));
}

function filterLogEvents(store: LogStore): JsonOperation['handler'] {
  return (body, context) => {
    const group = readGroup(store, body);
    const names = readStreamNames(body);
    const prefix = optionalString(body, 'logStreamNamePrefix', 512);
    if (names && prefix !== undefined) {
      throw invalidParameter('logStreamNames and logStreamNamePrefix cannot both be specified.');
    }
    const startTime = optionalInteger(body, 'startTime', 0, Number.MAX_SAFE_INTEGER);
    const endTime = optionalInteger(body, 'endTime', 0, Number.MAX_SAFE_INTEGER);
    const filterPattern = typeof body.filterPattern === 'string' ? body.filterPattern : undefined;
    const limit = optionalInteger(body, 'limit', 1, 10_000) ?? 10_000;
    const nextToken = optionalString(body, 'nextToken', 4096);
    const streams = [...group.streams.values()].filter(
      (s) => (!names || names.includes(s.logStreamName)) && (!prefix || s.logStreamName.startsWith(prefix)),
    );
    const page = context.pagination.page({
      scope: `FilterLogEvents:${JSON.stringify([group.logGroupName, names, prefix, startTime, endTime, filterPattern])}`,
      version: store.version,
      items: () =>
        streams
          .flatMap((s) => s.events)
          .filter(
            (e: LogEventRecord) =>
              (startTime === undefined || e.timestamp >= startTime) &&
              (endTime === undefined || e.timestamp <= endTime) &&
              matchesPattern(e.message, filterPattern),
          ),
      order: { key: (e: LogEventRecord): SortKey => [e.timestamp, e.sequence], descending: false },
      nextToken,
      limit,
      invalidToken: invalidNextToken,
    });
    return {
      events: page.items.map((e) => ({
        logStreamName: e.logStreamName,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
        eventId: e.eventId,
      })),
      searchedLogStreams: streams.map((s) => ({ logStreamName: s.logStreamName, searchedCompletely: true })),
      nextToken: page.nextToken,
    };
  };
}

export function logsOperations(store: LogStore): Record<string, JsonOperation> {
  return {
    DescribeLogStreams: { handler: describeLogStreams(store), resourceArn: groupArn },
    FilterLogEvents: { handler: filterLogEvents(store), resourceArn: groupArn },
  };
}
