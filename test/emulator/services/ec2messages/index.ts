import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import type { JsonObject, JsonOperation, OperationContext, ServiceDefinition } from '../../operations';

/**
 * ec2messages (Message Delivery Service): the agent's older Run Command path, which it polls with
 * GetMessages. Run Command here goes over the MGS control channel, so every poll is an empty long
 * poll, held briefly (the real one holds ~20 s) so an agent does not spin and shutdown stays quick.
 */
const GET_MESSAGES_HOLD_MS = 1_000;

async function getMessages(body: JsonObject, context: OperationContext): Promise<JsonObject> {
  await sleep(GET_MESSAGES_HOLD_MS, undefined, { ref: false });
  return {
    Destination: typeof body.Destination === 'string' ? body.Destination : '',
    Messages: [],
    MessagesRequestId:
      typeof body.MessagesRequestId === 'string' ? body.MessagesRequestId : context.requestId,
  };
}

function nothing(): JsonObject {
  return {};
}

const operations: Record<string, JsonOperation> = {
  GetMessages: { handler: getMessages },
  AcknowledgeMessage: { handler: nothing },
  SendReply: { handler: (): JsonObject => ({ MessageId: randomUUID() }) },
  FailMessage: { handler: nothing },
  DeleteMessage: { handler: nothing },
  GetEndpoint: { handler: (): JsonObject => ({}) },
};

/** EC2WindowsMessageDeliveryService over awsJson1_1, signing name `ec2messages`. */
export function ec2MessagesService(): ServiceDefinition {
  return {
    name: 'ec2messages',
    protocol: 'json',
    targetPrefix: 'EC2WindowsMessageDeliveryService',
    iamPrefix: 'ec2messages',
    operations: new Map(Object.entries(operations)),
  };
}
