import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { crossCheck } from './crossCheck';
import { withExecutionRoleIdentities } from './executionRoles';
import { resolveSshPaths } from './sshPaths';
import { scenarioValidator } from './schema';
import { Problems, type ValidationProblem } from './validate';
import {
  DEFAULT_ACCOUNT,
  DEFAULT_PARTITION,
  DEFAULT_REGION,
  type IdentitySpec,
  type Scenario,
  type ScenarioDocument,
} from './types';

/** A scenario that cannot be used; the message lists every problem with its JSON path. */
export class ScenarioError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly ValidationProblem[],
  ) {
    super(
      `Invalid emulator scenario ${source} (${problems.length} problem${problems.length === 1 ? '' : 's'}; ` +
        `see test/emulator/README.md for the format):\n` +
        problems.map((problem) => `  ${problem.path}: ${problem.message}`).join('\n'),
    );
    this.name = 'ScenarioError';
  }
}

/** Reads, parses and validates a scenario file. Relative times resolve against `anchor`. */
export function loadScenarioFile(file: string, anchor: Date): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(file, [
      { path: '$', message: `cannot read the file: ${(error as Error).message}` },
    ]);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(file, [{ path: '$', message: `is not valid JSON: ${(error as Error).message}` }]);
  }
  return validateScenario(document, anchor, file, path.dirname(path.resolve(file)));
}

/**
 * Validates an already-parsed scenario document (an object literal in a test, or parsed JSON).
 * Relative `ssh.entry`/`ssh.sourceDir` paths resolve against `baseDir` (default: the working directory).
 */
export function validateScenario(
  document: ScenarioDocument | unknown,
  anchor: Date,
  source = '<inline scenario>',
  baseDir = process.cwd(),
): Scenario {
  const problems = new Problems();
  const validated = scenarioValidator(anchor)(document ?? {}, '$', problems);
  if (validated) crossCheck(validated, problems);
  const parsed = validated && resolveSshPaths(validated, baseDir, problems);
  if (!parsed || problems.list.length > 0) throw new ScenarioError(source, problems.list);
  const account = parsed.account ?? DEFAULT_ACCOUNT;
  const partition = parsed.partition ?? DEFAULT_PARTITION;
  return {
    ...parsed,
    account,
    partition,
    region: parsed.region ?? DEFAULT_REGION,
    identities: withExecutionRoleIdentities(
      parsed.identities ?? [defaultIdentity(partition, account)],
      parsed,
      partition,
      account,
    ),
  };
}

/** The identity used when a scenario lists none. */
export function defaultIdentity(partition: string, account: string): IdentitySpec {
  return {
    name: 'developer',
    accessKeyId: 'AKIAEMULATORDEVELOPER',
    secretAccessKey: 'emulator-developer-secret-access-key',
    arn: `arn:${partition}:iam::${account}:user/developer`,
    userId: 'AIDAEMULATORDEVELOPER0',
  };
}
