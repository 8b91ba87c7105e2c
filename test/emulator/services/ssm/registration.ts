import { AwsError } from '../../errors';
import { managedInstanceId } from '../../ids';
import type { PingStatus, PlatformType } from '../../scenario/types';
import type { EmulatorState } from '../../state';
import { DEFAULT_AGENT_VERSION, type AgentReport, type ManagedInstanceRecord } from '../../stores/instances';

/** What a (simulated) container reports when its agent registers and starts. */
export interface InstanceRegistrationInfo extends AgentReport {
  readonly publicKey?: string;
  /** Extra tags on top of the activation's tags. */
  readonly tags?: Record<string, string>;
  /** Initial ping status; API registrations start ConnectionLost until the first heartbeat. */
  readonly pingStatus?: PingStatus;
}

/**
 * Registers a managed node with a hybrid activation, as `amazon-ssm-agent -register` does:
 * checks the id/code pair, expiry and registration limit, then creates an `mi-` instance that
 * carries the activation's tags, default name and IAM role.
 */
export function registerWithActivation(
  state: EmulatorState,
  activationIdValue: string,
  code: string,
  info: InstanceRegistrationInfo,
  now: Date,
): ManagedInstanceRecord {
  const activation = state.activations.get(activationIdValue);
  if (!activation || activation.code !== code) {
    throw new AwsError(
      'InvalidActivation',
      'The activation is not valid: it may have been deleted, or the ActivationId and ActivationCode do not match.',
    );
  }
  if (activation.expirationDate <= now) {
    throw new AwsError(
      'ActivationExpired',
      `Activation ${activation.id} expired at ${activation.expirationDate.toISOString()}.`,
    );
  }
  if (activation.registrationsCount >= activation.registrationLimit) {
    throw new AwsError(
      'InvalidActivation',
      `Activation ${activation.id} has reached its registration limit of ${activation.registrationLimit}.`,
    );
  }
  state.activations.countRegistration(activation);
  const instance: ManagedInstanceRecord = {
    id: uniqueInstanceId(state),
    pingStatus: info.pingStatus ?? 'ConnectionLost',
    lastPingDateTime: now,
    agentVersion: info.agentVersion ?? DEFAULT_AGENT_VERSION,
    platformType: info.platformType ?? ('Linux' as PlatformType),
    platformName: info.platformName ?? 'Ubuntu',
    platformVersion: info.platformVersion ?? '22.04',
    computerName: info.computerName ?? 'localhost',
    ipAddress: info.ipAddress ?? '127.0.0.1',
    registrationDate: now,
    activationId: activation.id,
    iamRole: activation.iamRole,
    name: activation.defaultInstanceName ?? '',
    tags: new Map([...activation.tags, ...Object.entries(info.tags ?? {})]),
    publicKey: info.publicKey,
  };
  state.instances.add(instance);
  return instance;
}

function uniqueInstanceId(state: EmulatorState): string {
  for (;;) {
    const id = managedInstanceId();
    if (!state.instances.has(id)) return id;
  }
}
