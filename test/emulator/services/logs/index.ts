import type { ServiceDefinition } from '../../operations';
import { logsOperations } from './operations';
import type { LogStore } from './store';

export { LogStore } from './store';
export type { LogEventRecord, LogStreamRecord, NewLogEvent } from './store';
export {
  TRAINING_JOBS_LOG_GROUP,
  pipeContainerLog,
  seedTrainingJobLogs,
  trainingStreamName,
} from './trainingLogs';

/** CloudWatch Logs over awsJson1_1 (`X-Amz-Target: Logs_20140328.<Operation>`, signing name `logs`). */
export function logsService(store: LogStore): ServiceDefinition {
  return {
    name: 'logs',
    protocol: 'json',
    targetPrefix: 'Logs_20140328',
    iamPrefix: 'logs',
    operations: new Map(Object.entries(logsOperations(store))),
  };
}
