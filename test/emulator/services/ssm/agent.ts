import type { Identity } from '../../auth/identities';
import { derivedHex } from '../../ids';
import type { JsonObject, JsonOperation, OperationContext } from '../../operations';
import { JsonInput } from '../../protocols/jsonInput';
import { isSessionOfRole, roleNameOf } from '../../scenario/executionRoles';
import { PLATFORM_TYPES } from '../../scenario/types';
import type { EmulatorState } from '../../state';
import { invalidInstanceId, readTags } from './common';
import { registerWithActivation } from './registration';

/** How long the role credentials handed to an agent last (AWS: one hour). */
const ROLE_TOKEN_LIFETIME_MS = 3_600_000;

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

/**
 * The agent's credential call, signed with its registration key (see auth/instanceKey.ts):
 * temporary credentials of the activation's IAM role. Calls made with them are that role's, so
 * its deny rules apply to the container as to anyone. `UpdateKeyPair` false: no rotation asked.
 */
function requestManagedInstanceRoleToken(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  input.string('Fingerprint', { required: true, max: 1024 });
  input.finish();
  const instance = context.state.instances.get(context.identity!.instanceId!);
  if (!instance) throw invalidInstanceId(context.identity!.instanceId!);
  const role = roleSession(context.state, instance.iamRole);
  return {
    AccessKeyId: role.accessKeyId,
    SecretAccessKey: role.secretAccessKey,
    SessionToken: role.sessionToken ?? '',
    TokenExpirationDate: new Date(context.now.getTime() + ROLE_TOKEN_LIFETIME_MS),
    UpdateKeyPair: false,
  };
}

/** The agent's key rotation: later credential calls must be signed with the new key. */
function updateManagedInstancePublicKey(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const key = input.string('NewPublicKey', { required: true, min: 392, max: 4096 })!;
  input.enumOf('NewPublicKeyType', ['Rsa'] as const, true);
  input.finish();
  const instance = context.state.instances.get(context.identity!.instanceId!);
  if (!instance) throw invalidInstanceId(context.identity!.instanceId!);
  instance.publicKey = key;
  return {};
}

/** The session of `roleName` that instances registered with it act as (added on first use). */
function roleSession(state: EmulatorState, iamRole: string): Identity {
  const roleName = roleNameOf(iamRole);
  const existing = state.identities.all().find((identity) => isSessionOfRole(identity, roleName));
  if (existing) return existing;
  const seed = `instance-role/${state.arns.account}/${roleName}`;
  return state.identities.add({
    name: `${roleName}-ssm-session`,
    accessKeyId: `ASIA${derivedHex(seed, 16).toUpperCase()}`,
    secretAccessKey: derivedHex(`${seed}/secret`, 40),
    sessionToken: Buffer.from(derivedHex(`${seed}/token`, 64), 'hex').toString('base64'),
    arn: `arn:${state.arns.partition}:sts::${state.arns.account}:assumed-role/${roleName}/ssm`,
    userId: `AROA${derivedHex(`${seed}/user`, 17).toUpperCase()}:ssm`,
  });
}

/** The agent's association polling: this emulator has no State Manager associations. */
function emptyAssociations(member: string): (body: JsonObject) => JsonObject {
  return () => ({ [member]: [] });
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
  RequestManagedInstanceRoleToken: {
    handler: requestManagedInstanceRoleToken,
    instanceKey: true,
    iamAction: null,
  },
  UpdateManagedInstancePublicKey: {
    handler: updateManagedInstancePublicKey,
    instanceKey: true,
    iamAction: null,
  },
  ListInstanceAssociations: { handler: emptyAssociations('Associations'), resourceArn: instanceArn },
  ListAssociations: { handler: emptyAssociations('Associations') },
};
