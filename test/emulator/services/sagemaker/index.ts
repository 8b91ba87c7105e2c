import type { ServiceDefinition } from '../../operations';
import { payloadResourceOperations } from './payloadResources';
import { clusterOperations } from './clusters';
import { searchOperations } from './search';
import { spaceOperations } from './spaces';
import { studioOperations } from './studio';
import { trainingJobOperations } from './trainingJobs';

/** SageMaker over awsJson1_1 (`X-Amz-Target: SageMaker.<Operation>`). */
export function sageMakerService(): ServiceDefinition {
  return {
    name: 'sagemaker',
    protocol: 'json',
    targetPrefix: 'SageMaker',
    iamPrefix: 'sagemaker',
    operations: new Map(
      Object.entries({
        ...trainingJobOperations,
        ...searchOperations,
        ...studioOperations,
        ...payloadResourceOperations,
        ...clusterOperations,
        ...spaceOperations,
      }),
    ),
  };
}
