import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { PayloadConflictError, PayloadTargetError } from './errors';
import type { PayloadLocation } from './payloadLocation';
import { PAYLOAD_PACKAGE, locatePayload } from './payloadLocation';

export interface CopyOptions {
  /** Replace files that differ from ours. Default: refuse with PayloadConflictError. */
  readonly overwrite?: boolean;
  /** The payload to copy. Default: the extension's media/remote (see locatePayload). */
  readonly payload?: PayloadLocation;
}

export type CopyStatus = 'created' | 'updated' | 'unchanged';

export interface CopyResult {
  /** `<target>/sagemaker_ssh_helper` */
  readonly directory: string;
  readonly status: CopyStatus;
  /** The payload's file names, sorted. */
  readonly files: readonly string[];
  /** Files that were missing and are now there. */
  readonly added: readonly string[];
  /** Files that differed and were replaced (only with `overwrite`). */
  readonly replaced: readonly string[];
}

interface PayloadFile {
  readonly name: string;
  readonly content: Buffer;
  readonly mode: number;
}

/** Executables keep their bit even when the folder is copied from Windows later. */
function modeOf(name: string): number {
  return name.startsWith('sm-') || name.endsWith('.sh') ? 0o755 : 0o644;
}

function isPayloadFileName(name: string): boolean {
  return !name.startsWith('.') && name !== '__pycache__' && !name.endsWith('.pyc');
}

/** The files of the bundled package (flat: the package has no subfolders). */
export async function readPayloadFiles(payload: PayloadLocation = locatePayload()): Promise<PayloadFile[]> {
  const entries = await fs.readdir(payload.packageDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isFile() && isPayloadFileName(entry.name))
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      content: await fs.readFile(path.join(payload.packageDir, name)),
      mode: modeOf(name),
    })),
  );
}

async function readIfFile(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

async function checkTarget(targetDir: string, directory: string): Promise<boolean> {
  const target = await fs.stat(targetDir).catch(() => undefined);
  if (!target?.isDirectory()) {
    throw new PayloadTargetError(targetDir, target ? 'it is not a folder' : 'it does not exist');
  }
  const existing = await fs.lstat(directory).catch(() => undefined);
  if (existing && !existing.isDirectory()) {
    throw new PayloadTargetError(targetDir, `${directory} exists and is not a folder`);
  }
  return existing !== undefined;
}

/** Writes the new folder next to the target, then swaps it in, so the target is never half-written. */
async function writeAtomically(
  targetDir: string,
  directory: string,
  files: readonly PayloadFile[],
  exists: boolean,
): Promise<void> {
  const suffix = randomBytes(6).toString('hex');
  const staging = path.join(targetDir, `.${PAYLOAD_PACKAGE}-${suffix}.tmp`);
  const backup = path.join(targetDir, `.${PAYLOAD_PACKAGE}-${suffix}.old`);
  await fs.mkdir(staging);
  try {
    if (exists) {
      // Keep anything the user added to the folder (but not Python's caches).
      const ours = new Set(files.map((f) => f.name));
      for (const entry of await fs.readdir(directory, { withFileTypes: true })) {
        if (!ours.has(entry.name) && entry.name !== '__pycache__') {
          await fs.cp(path.join(directory, entry.name), path.join(staging, entry.name), { recursive: true });
        }
      }
    }
    for (const file of files) {
      const destination = path.join(staging, file.name);
      await fs.writeFile(destination, file.content, { mode: file.mode });
      await fs.chmod(destination, file.mode);
    }
    if (!exists) {
      await fs.rename(staging, directory);
      return;
    }
    await fs.rename(directory, backup);
    try {
      await fs.rename(staging, directory);
    } catch (error) {
      await fs.rename(backup, directory);
      throw error;
    }
    await fs.rm(backup, { recursive: true, force: true });
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

/**
 * Copies the bundled `sagemaker_ssh_helper` folder into `targetDir` (a training job's source
 * folder), for `import sagemaker_ssh_helper` in the entry script. Files that already match are left
 * alone; files that differ are replaced only with `overwrite`.
 */
export async function copyPayload(targetDir: string, options: CopyOptions = {}): Promise<CopyResult> {
  const target = path.resolve(targetDir);
  const directory = path.join(target, PAYLOAD_PACKAGE);
  const files = await readPayloadFiles(options.payload ?? locatePayload());
  const exists = await checkTarget(target, directory);
  const added: string[] = [];
  const replaced: string[] = [];
  for (const file of files) {
    const current = exists ? await readIfFile(path.join(directory, file.name)) : undefined;
    if (current === undefined) {
      added.push(file.name);
    } else if (!current.equals(file.content)) {
      replaced.push(file.name);
    }
  }
  const names = files.map((f) => f.name);
  if (replaced.length > 0 && !options.overwrite) {
    throw new PayloadConflictError(directory, replaced);
  }
  if (exists && added.length === 0 && replaced.length === 0) {
    return { directory, status: 'unchanged', files: names, added, replaced };
  }
  try {
    await writeAtomically(target, directory, files, exists);
  } catch (error) {
    throw new PayloadTargetError(target, (error as Error).message, error);
  }
  return { directory, status: exists ? 'updated' : 'created', files: names, added, replaced };
}
