import type { JsonObject, JsonOperation, OperationContext } from '../../operations';
import { JsonInput } from '../../protocols/jsonInput';
import { PLATFORM_TYPES } from '../../scenario/types';
import { invalidInstanceId, readTags } from './common';
import { registerWithActivation } from './registration';

/**
 * The calls the SSM agent makes about itself. RegisterManagedInstance is not SigV4-signed by the
 * agent (it has no credentials yet), so it is allowed anonymously.
 */

function registerManagedInstance(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const code = input.string('ActivationCode', { required: true, min: 20, max: 250 })!;
  const id = input.string('ActivationId', {
    required: true,
    pattern: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  })!;
  const publicKey = input.string('PublicKey', { max: 4096 });
  input.string('PublicKeyType', { max: 32 });
  input.string('Fingerprint', { max: 256 });
  input.string('IamRole', { max: 64 });
  const tags = readTags(input, 'Tags', false);
  input.finish();
  const instance = registerWithActivation(
    context.state,
    id,
    code,
    { publicKey, tags: Object.fromEntries((tags ?? []).map((tag) => [tag.key, tag.value])) },
    context.now,
  );
  return { InstanceId: instance.id };
}

function updateInstanceInformation(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const instanceId = input.string('InstanceId', { required: true })!;
  const report = {
    agentVersion: input.string('AgentVersion', { max: 64 }),
    platformName: input.string('PlatformName', { max: 128 }),
    platformVersion: input.string('PlatformVersion', { max: 64 }),
    platformType: input.enumOf('PlatformType', PLATFORM_TYPES),
    computerName: input.string('ComputerName', { max: 255 }),
    ipAddress: input.string('IPAddress', { max: 46 }),
  };
  input.string('AgentStatus');
  input.string('AgentName');
  input.finish();
  if (!context.state.instances.has(instanceId)) throw invalidInstanceId(instanceId);
  context.state.instances.heartbeat(instanceId, report, context.now);
  return {};
}

function deregisterManagedInstance(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const instanceId = input.string('InstanceId', { required: true, pattern: /^mi-[0-9a-f]{17}$/ })!;
  input.finish();
  if (!context.state.instances.remove(instanceId)) throw invalidInstanceId(instanceId);
  return {};
}

function instanceArn(body: JsonObject, context: OperationContext): string | undefined {
  return typeof body.InstanceId === 'string'
    ? context.state.arns.managedInstance(body.InstanceId)
    : undefined;
}

export const agentOperations: Record<string, JsonOperation> = {
  RegisterManagedInstance: { handler: registerManagedInstance, anonymous: true },
  UpdateInstanceInformation: { handler: updateInstanceInformation, resourceArn: instanceArn },
  DeregisterManagedInstance: { handler: deregisterManagedInstance, resourceArn: instanceArn },
};
