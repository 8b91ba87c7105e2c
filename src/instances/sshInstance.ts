import type { SshTags } from './sshTags';

/** An SSM managed instance (`mi-…`) registered by a SageMaker container, with its SSH tags. */
export interface SshInstance {
  readonly instanceId: string;
  /** `Online`, `ConnectionLost` or `Inactive`. */
  readonly pingStatus: string;
  readonly lastPing?: Date;
  readonly computerName?: string;
  readonly agentVersion?: string;
  readonly ipAddress?: string;
  readonly tags: SshTags;
}

export function isOnline(instance: SshInstance): boolean {
  return instance.pingStatus === 'Online';
}
