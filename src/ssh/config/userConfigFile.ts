import SSHConfig from 'ssh-config';
import { resolveWriteTarget } from '../../util/fs/atomicWrite';
import { isNotFound, readFileIfExists } from '../../util/fs/fileSystem';
import type { SshFileSystem } from '../../util/fs/fileSystem';
import {
  DanglingConfigSymlinkError,
  ManagedBlockMarkersError,
  UserSshConfigParseError,
  UserSshConfigReadError,
} from './errors';
import { removeBlocks, upsertBlock } from './includeBlock';
import type { MarkerProblem } from './includeBlock';

/** What writing the user's config would do; computed before anything is written. */
export interface UserConfigPlan {
  /** The file to replace (the symlink target if the config is a symlink). */
  readonly target: string;
  /** Mode to give the new file: the existing file's mode, else 0600. */
  readonly mode: number;
  readonly exists: boolean;
  readonly before: Buffer;
  readonly after: Buffer;
  readonly changed: boolean;
}

const NEW_CONFIG_MODE = 0o600;

function describeProblem(problem: MarkerProblem): string {
  return problem.kind === 'begin-without-end'
    ? `the BEGIN marker on line ${problem.line} has no END marker`
    : `the END marker on line ${problem.line} has no BEGIN marker`;
}

async function locate(
  fs: SshFileSystem,
  file: string,
): Promise<{ target: string; mode: number | undefined }> {
  try {
    const target = await resolveWriteTarget(fs, file);
    return { target: target.path, mode: target.existingMode };
  } catch (error) {
    if (isNotFound(error)) {
      throw new DanglingConfigSymlinkError(file);
    }
    throw new UserSshConfigReadError(file, error);
  }
}

function checkParsable(file: string, bytes: Buffer): void {
  try {
    SSHConfig.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new UserSshConfigParseError(file, error instanceof Error ? error.message : String(error));
  }
}

/**
 * Reads and checks the user's config and computes its new bytes with `edit`. Throws a typed error
 * (unreadable, unparsable, damaged markers, dangling symlink) before anything is written.
 */
export async function planUserConfig(
  fs: SshFileSystem,
  file: string,
  edit: { kind: 'install'; includePath: string } | { kind: 'remove' },
): Promise<UserConfigPlan> {
  const { target, mode } = await locate(fs, file);
  let before: Buffer;
  try {
    before = (await readFileIfExists(fs, target)) ?? Buffer.alloc(0);
  } catch (error) {
    throw new UserSshConfigReadError(file, error);
  }
  checkParsable(file, before);
  const bytes = before.toString('latin1');
  const result = edit.kind === 'install' ? upsertBlock(bytes, edit.includePath) : removeBlocks(bytes);
  if ('problem' in result) {
    throw new ManagedBlockMarkersError(file, describeProblem(result.problem));
  }
  const after = Buffer.from(result.bytes, 'latin1');
  return {
    target,
    mode: mode ?? NEW_CONFIG_MODE,
    exists: mode !== undefined,
    before,
    after,
    changed: !after.equals(before),
  };
}
