import type { ServiceDefinition } from '../../operations';
import { activationOperations } from './activations';
import { agentOperations } from './agent';
import { instanceInformationOperations } from './instanceInformation';
import { tagOperations } from './tags';

/** Systems Manager over awsJson1_1 (`X-Amz-Target: AmazonSSM.<Operation>`). */
export function ssmService(): ServiceDefinition {
  return {
    name: 'ssm',
    protocol: 'json',
    targetPrefix: 'AmazonSSM',
    iamPrefix: 'ssm',
    operations: new Map(
      Object.entries({
        ...instanceInformationOperations,
        ...tagOperations,
        ...activationOperations,
        ...agentOperations,
      }),
    ),
  };
}
