import { statSync } from 'node:fs';
import * as path from 'node:path';
import { childPath, type Problems } from './validate';
import type { AppSshDeclarationSpec, ScenarioOf, SshDeclarationSpec } from './types';

type Declaration = SshDeclarationSpec | AppSshDeclarationSpec;

function resolveDeclaration(
  declaration: Declaration,
  declarationPath: string,
  baseDir: string,
  problems: Problems,
): Declaration {
  const resolved: { entry?: string; sourceDir?: string } = {};
  for (const field of ['entry', 'sourceDir'] as const) {
    const value = declaration[field];
    if (value === undefined) continue;
    const absolute = path.resolve(baseDir, value);
    let kind: 'file' | 'directory' | undefined;
    try {
      const stats = statSync(absolute);
      kind = stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : undefined;
    } catch {
      kind = undefined;
    }
    const wanted = field === 'entry' ? 'file' : 'directory';
    if (kind !== wanted) {
      problems.report(childPath(declarationPath, field), `${absolute} is not an existing ${wanted}`);
    }
    resolved[field] = absolute;
  }
  return { ...declaration, ...resolved };
}

/**
 * Makes the `entry` and `sourceDir` paths of SSH declarations absolute (relative to `baseDir`, the
 * scenario file's folder) and reports the ones that do not exist.
 */
export function resolveSshPaths(
  scenario: ScenarioOf<Date>,
  baseDir: string,
  problems: Problems,
): ScenarioOf<Date> {
  const sagemaker = scenario.sagemaker;
  if (!sagemaker) return scenario;
  const trainingJobs = sagemaker.trainingJobs?.map((job, index) =>
    job.ssh
      ? {
          ...job,
          ssh: resolveDeclaration(
            job.ssh,
            childPath(childPath('$.sagemaker.trainingJobs', index), 'ssh'),
            baseDir,
            problems,
          ),
        }
      : job,
  );
  const domains = sagemaker.domains?.map((domain, domainIndex) => {
    const domainPath = childPath('$.sagemaker.domains', domainIndex);
    const resolveApps = <T extends { ssh?: AppSshDeclarationSpec }>(
      apps: readonly T[] | undefined,
      ownerPath: string,
    ) =>
      apps?.map((app, appIndex) =>
        app.ssh
          ? {
              ...app,
              ssh: resolveDeclaration(
                app.ssh,
                childPath(childPath(childPath(ownerPath, 'apps'), appIndex), 'ssh'),
                baseDir,
                problems,
              ),
            }
          : app,
      );
    return {
      ...domain,
      userProfiles: domain.userProfiles?.map((profile, i) => ({
        ...profile,
        apps: resolveApps(profile.apps, childPath(childPath(domainPath, 'userProfiles'), i)),
      })),
      spaces: domain.spaces?.map((space, i) => ({
        ...space,
        apps: resolveApps(space.apps, childPath(childPath(domainPath, 'spaces'), i)),
      })),
    };
  });
  return { ...scenario, sagemaker: { ...sagemaker, trainingJobs, domains } };
}
