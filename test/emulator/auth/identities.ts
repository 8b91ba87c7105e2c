import type { DenyRule, IdentitySpec } from '../scenario/types';

export interface DenyMatcher {
  readonly action: RegExp;
  readonly resource?: RegExp;
}

/** A calling principal the emulator knows, with its credentials and what it is denied. */
export interface Identity {
  readonly name: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly arn: string;
  readonly userId: string;
  /** The account in the principal's ARN. */
  readonly account: string;
  expired: boolean;
  readonly deny: readonly DenyMatcher[];
  /** Set when the caller is a managed instance signing with its registration key (RSA), not an IAM principal. */
  readonly instanceId?: string;
}

export class IdentityStore {
  private readonly byAccessKey = new Map<string, Identity>();
  private readonly byName = new Map<string, Identity>();
  private readonly ordered: Identity[];

  constructor(specs: readonly IdentitySpec[]) {
    if (specs.length === 0) throw new Error('At least one identity is required');
    this.ordered = specs.map(toIdentity);
    for (const identity of this.ordered) {
      this.byAccessKey.set(identity.accessKeyId, identity);
      this.byName.set(identity.name, identity);
    }
  }

  /** The first identity in the scenario: the one `env()` and the CLI print. */
  get default(): Identity {
    return this.ordered[0]!;
  }

  all(): readonly Identity[] {
    return this.ordered;
  }

  byAccessKeyId(accessKeyId: string): Identity | undefined {
    return this.byAccessKey.get(accessKeyId);
  }

  named(name: string): Identity | undefined {
    return this.byName.get(name);
  }

  /** Adds a principal at run time (the role session handed to a managed instance). */
  add(spec: IdentitySpec): Identity {
    const identity = toIdentity(spec);
    if (this.byAccessKey.has(identity.accessKeyId) || this.byName.has(identity.name)) {
      throw new Error(`Identity ${identity.name} (${identity.accessKeyId}) already exists`);
    }
    this.ordered.push(identity);
    this.byAccessKey.set(identity.accessKeyId, identity);
    this.byName.set(identity.name, identity);
    return identity;
  }
}

function toIdentity(spec: IdentitySpec): Identity {
  return {
    name: spec.name ?? spec.arn.split(/[:/]/).pop()!,
    accessKeyId: spec.accessKeyId,
    secretAccessKey: spec.secretAccessKey,
    sessionToken: spec.sessionToken,
    arn: spec.arn,
    userId: spec.userId,
    account: spec.arn.split(':')[4] ?? '',
    expired: spec.expired ?? false,
    deny: (spec.deny ?? []).map(toDenyMatcher),
  };
}

function toDenyMatcher(rule: DenyRule): DenyMatcher {
  if (typeof rule === 'string') return { action: globToRegExp(rule, 'i') };
  return {
    action: globToRegExp(rule.action, 'i'),
    resource: rule.resource === undefined ? undefined : globToRegExp(rule.resource, ''),
  };
}

/** IAM-style wildcards: `*` any run of characters, `?` one character. Actions match case-insensitively. */
export function globToRegExp(pattern: string, flags: string): RegExp {
  const body = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, flags);
}

/** True when one of the identity's deny rules covers `action` on `resource`. */
export function isDenied(identity: Identity, action: string, resource: string): boolean {
  return identity.deny.some(
    (rule) => rule.action.test(action) && (rule.resource === undefined || rule.resource.test(resource)),
  );
}

/** AWS's wording for an implicit deny. */
export function accessDeniedMessage(identity: Identity, action: string, resource: string): string {
  return (
    `User: ${identity.arn} is not authorized to perform: ${action} on resource: ${resource} ` +
    `because no identity-based policy allows the ${action} action`
  );
}
