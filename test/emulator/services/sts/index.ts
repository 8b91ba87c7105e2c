import type { OperationContext, QueryOperation, QueryParams, ServiceDefinition } from '../../operations';

/** GetCallerIdentity needs no permission, so it is never denied. */
function getCallerIdentity(_params: QueryParams, context: OperationContext): Record<string, unknown> {
  const identity = context.identity!;
  return { Arn: identity.arn, UserId: identity.userId, Account: identity.account };
}

const operations: Record<string, QueryOperation> = {
  GetCallerIdentity: { handler: getCallerIdentity, iamAction: null },
};

/** STS over awsQuery. */
export function stsService(): ServiceDefinition {
  return {
    name: 'sts',
    protocol: 'query',
    iamPrefix: 'sts',
    operations: new Map(Object.entries(operations)),
  };
}
