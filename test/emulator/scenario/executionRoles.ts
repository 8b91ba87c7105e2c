import { derivedHex } from '../ids';
import type { IdentitySpec, ScenarioOf } from './types';

const DEFAULT_ROLE = 'SageMakerExecutionRole';

/** The role name in an IAM role ARN (`arn:aws:iam::123:role/path/Name` → `Name`). */
export function roleNameOf(roleArn: string | undefined): string {
  return roleArn?.split('/').pop() || DEFAULT_ROLE;
}

/** Matches the identity of a role's SageMaker session (`arn:…:sts::<acct>:assumed-role/<role>/<session>`). */
export function isSessionOfRole(identity: { arn: string }, roleName: string): boolean {
  const parts = identity.arn.split(':')[5]?.split('/') ?? [];
  return parts[0] === 'assumed-role' && parts[1] === roleName;
}

/** The execution roles whose credentials the declared SSH containers need. */
function rolesOfSshContainers(scenario: ScenarioOf<Date>): Set<string> {
  const roles = new Set<string>();
  for (const job of scenario.sagemaker?.trainingJobs ?? []) {
    if (job.ssh || job.remoteDebug) roles.add(roleNameOf(job.roleArn));
  }
  for (const domain of scenario.sagemaker?.domains ?? []) {
    for (const profile of domain.userProfiles ?? []) {
      if (profile.apps?.some((app) => app.ssh))
        roles.add(roleNameOf(profile.executionRole ?? domain.executionRole));
    }
    for (const space of domain.spaces ?? []) {
      if (space.apps?.some((app) => app.ssh)) roles.add(roleNameOf(domain.executionRole));
    }
  }
  return roles;
}

/**
 * Adds, after the scenario's own identities, an identity for each execution role that SSH
 * containers need and the scenario does not define: temporary credentials of the role's
 * `SageMaker` session, as the container credentials endpoint hands them out.
 */
export function withExecutionRoleIdentities(
  identities: readonly IdentitySpec[],
  scenario: ScenarioOf<Date>,
  partition: string,
  account: string,
): IdentitySpec[] {
  const added: IdentitySpec[] = [];
  const names = new Set(identities.map((identity) => identity.name ?? identity.arn.split(/[:/]/).pop()));
  for (const role of rolesOfSshContainers(scenario)) {
    if (identities.some((identity) => isSessionOfRole(identity, role))) continue;
    const seed = `execution-role/${account}/${role}`;
    added.push({
      name: names.has(role) ? `${role}-session` : role,
      accessKeyId: `ASIA${derivedHex(seed, 16).toUpperCase()}`,
      secretAccessKey: derivedHex(`${seed}/secret`, 40),
      sessionToken: Buffer.from(derivedHex(`${seed}/token`, 64), 'hex').toString('base64'),
      arn: `arn:${partition}:sts::${account}:assumed-role/${role}/SageMaker`,
      userId: `AROA${derivedHex(`${seed}/user`, 17).toUpperCase()}:SageMaker`,
    });
  }
  return [...identities, ...added];
}
