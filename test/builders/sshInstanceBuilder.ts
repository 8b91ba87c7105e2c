import type { SshInstance } from '../../src/instances/sshInstance';
import type { SshTags } from '../../src/instances/sshTags';

let counter = 0;

/** Test builder for SSH registrations; every field has a sensible default. */
export function anInstance(
  overrides: Partial<Omit<SshInstance, 'tags'>> & { tags?: Partial<SshTags> } = {},
): SshInstance {
  counter++;
  const { tags, ...rest } = overrides;
  return {
    instanceId: `mi-${counter.toString(16).padStart(17, '0')}`,
    pingStatus: 'Online',
    lastPing: new Date('2026-11-20T10:00:00Z'),
    computerName: 'algo-1',
    ...rest,
    tags: { owner: 'AIDAOWNER', timestamp: 1_700_000_000, ...tags },
  };
}

export function trainingTags(jobName: string, extra: Partial<SshTags> = {}): Partial<SshTags> {
  return {
    resourceName: jobName,
    resourceArn: `arn:aws:sagemaker:us-east-1:111122223333:training-job/${jobName.toLowerCase()}`,
    ...extra,
  };
}

export function appTags(domain: string, owner: string, appType: string, app: string): Partial<SshTags> {
  return {
    resourceName: app,
    resourceArn: `arn:aws:sagemaker:us-east-1:111122223333:app/${domain}/${owner}/${appType}/${app}`,
  };
}
