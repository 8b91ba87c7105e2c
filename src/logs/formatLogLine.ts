import { nodeOfStream } from './trainingLogStreams';

export interface TrainingLogEvent {
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly message: string;
  readonly eventId: string;
}

/** `2026-12-06T02:16:44.123Z algo-1 <message>`: ISO time (UTC), the node, the message without its newline. */
export function formatLogLine(jobName: string, event: TrainingLogEvent): string {
  const node = nodeOfStream(jobName, event.logStreamName) ?? event.logStreamName;
  const time = new Date(event.timestamp).toISOString();
  return `${time} ${node} ${event.message.replace(/\r?\n$/, '')}`;
}
