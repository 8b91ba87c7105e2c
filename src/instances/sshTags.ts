/** Tag keys the container side (ours and the upstream Python library) puts on its SSM activation. */
export const sshTagKeys = {
  owner: 'SSHOwner',
  creator: 'SSHCreator',
  timestamp: 'SSHTimestamp',
  resourceName: 'SSHResourceName',
  resourceArn: 'SSHResourceArn',
  host: 'SSHHost',
} as const;

export interface SshTags {
  /** The laptop user's `aws:userid` the container was started for. */
  readonly owner?: string;
  readonly creator?: string;
  /** Seconds since the epoch when the container registered. */
  readonly timestamp?: number;
  readonly resourceName?: string;
  readonly resourceArn?: string;
  /** Node name (`algo-2`); only our payload sets it. */
  readonly host?: string;
}

export interface TagLike {
  readonly Key?: string;
  readonly Value?: string;
}

export function parseSshTags(tags: readonly TagLike[] | undefined): SshTags {
  const byKey = new Map((tags ?? []).map((t) => [t.Key, t.Value]));
  const timestamp = Number(byKey.get(sshTagKeys.timestamp));
  return {
    owner: byKey.get(sshTagKeys.owner) || undefined,
    creator: byKey.get(sshTagKeys.creator) || undefined,
    timestamp: Number.isFinite(timestamp) && timestamp > 0 ? timestamp : undefined,
    resourceName: byKey.get(sshTagKeys.resourceName) || undefined,
    resourceArn: byKey.get(sshTagKeys.resourceArn) || undefined,
    host: byKey.get(sshTagKeys.host) || undefined,
  };
}
