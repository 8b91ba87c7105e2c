/** One event as CloudWatch Logs stores it. */
export interface LogEventRecord {
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
  readonly eventId: string;
  /** Order of ingestion within the store (ties on equal timestamps). */
  readonly sequence: number;
}

export interface LogStreamRecord {
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly creationTime: number;
  readonly events: LogEventRecord[];
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  /** A line written without its newline yet (appendText buffers it until the newline arrives). */
  partial: string;
}

export interface LogGroupRecord {
  readonly logGroupName: string;
  readonly creationTime: number;
  readonly streams: Map<string, LogStreamRecord>;
}

export interface NewLogEvent {
  readonly timestamp: number;
  readonly message: string;
}

/** Log groups, streams and events of the emulated account; `version` changes on every write. */
export class LogStore {
  private readonly groups = new Map<string, LogGroupRecord>();
  private sequence = 0;
  private revision = 0;

  constructor(private readonly now: () => number) {}

  get version(): number {
    return this.revision;
  }

  group(name: string): LogGroupRecord | undefined {
    return this.groups.get(name);
  }

  createGroup(name: string): LogGroupRecord {
    let group = this.groups.get(name);
    if (!group) {
      group = { logGroupName: name, creationTime: this.now(), streams: new Map() };
      this.groups.set(name, group);
      this.revision++;
    }
    return group;
  }

  /** Creates the group and stream if needed (what the SageMaker agent does on first write). */
  createStream(groupName: string, streamName: string): LogStreamRecord {
    const group = this.createGroup(groupName);
    let stream = group.streams.get(streamName);
    if (!stream) {
      stream = {
        logGroupName: groupName,
        logStreamName: streamName,
        creationTime: this.now(),
        events: [],
        partial: '',
      };
      group.streams.set(streamName, stream);
      this.revision++;
    }
    return stream;
  }

  /** PutLogEvents, without its sequence-token ceremony: appends `events` to the stream. */
  append(groupName: string, streamName: string, events: readonly NewLogEvent[]): LogEventRecord[] {
    const stream = this.createStream(groupName, streamName);
    const ingestionTime = this.now();
    const added = events.map((event): LogEventRecord => {
      const sequence = ++this.sequence;
      return {
        logStreamName: streamName,
        timestamp: event.timestamp,
        ingestionTime,
        message: event.message,
        eventId: eventIdOf(event.timestamp, sequence),
        sequence,
      };
    });
    for (const event of added) {
      stream.events.push(event);
      stream.firstEventTimestamp = Math.min(stream.firstEventTimestamp ?? event.timestamp, event.timestamp);
      stream.lastEventTimestamp = Math.max(stream.lastEventTimestamp ?? event.timestamp, event.timestamp);
    }
    if (added.length > 0) {
      stream.lastIngestionTime = ingestionTime;
      this.revision++;
    }
    return added;
  }

  /** Appends container output: one event per complete line, stamped now; a trailing partial line waits. */
  appendText(groupName: string, streamName: string, text: string): LogEventRecord[] {
    const stream = this.createStream(groupName, streamName);
    const lines = (stream.partial + text).split('\n');
    stream.partial = lines.pop() ?? '';
    const timestamp = this.now();
    return this.append(
      groupName,
      streamName,
      lines.map((line) => ({ timestamp, message: line.replace(/\r$/, '') })),
    );
  }
}

/** 56 digits like CloudWatch's event ids, unique and ordered by (timestamp, ingestion). */
function eventIdOf(timestamp: number, sequence: number): string {
  return String(timestamp).padStart(20, '0') + String(sequence).padStart(36, '0');
}
