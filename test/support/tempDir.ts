import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

/** A temp directory made by `setUp` and removed by `tearDown` (mocha hooks), and its getter. */
function hookedTempDir(
  prefix: string,
  setUp: (hook: () => Promise<void>) => void,
  tearDown: (hook: () => Promise<void>) => void,
  outside: string,
): () => string {
  let dir: string | undefined;
  setUp(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  });
  tearDown(async () => {
    if (dir !== undefined) {
      await fs.rm(dir, { recursive: true, force: true });
      dir = undefined;
    }
  });
  return () => {
    if (dir === undefined) {
      throw new Error(outside);
    }
    return dir;
  };
}

/**
 * Registers mocha hooks that give each test a fresh temp directory and remove it afterwards.
 * Returns a getter for the current test's directory.
 */
export function useTempDir(prefix = 'sm-ssh-test-'): () => string {
  return hookedTempDir(prefix, beforeEach, afterEach, 'temp dir used outside a test');
}

/** Every file below `dir` (relative paths, sorted), to assert nothing stray was left. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true });
  return entries.map((e) => e.split(path.sep).join('/')).sort();
}

export async function modeOf(file: string): Promise<number> {
  return (await fs.stat(file)).mode & 0o777;
}

/** Like useTempDir, but one directory for the whole describe block (before/after). */
export function useSuiteTempDir(prefix = 'sm-ssh-suite-'): () => string {
  return hookedTempDir(prefix, before, after, 'suite temp dir used outside its describe block');
}
