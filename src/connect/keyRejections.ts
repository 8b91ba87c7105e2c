import { readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { PRIVATE_FILE_MODE, ensurePrivateDirectory, writeFileAtomic } from '../util/fs/atomicWrite';
import { nodeFileSystem } from '../util/fs/fileSystem';
import type { HostRecord } from './hostRegistry';

/**
 * "sshd refused the key this record says is installed": written by a ProxyCommand whose session
 * ended the way a refused login ends, read by the next connection, which then installs the key
 * again. It names the record it is about, so a report that arrives after a newer install (the
 * ProxyCommand outlives ssh by a moment) is ignored instead of causing a second install.
 */
export interface KeyRejection {
  readonly instanceId: string;
  readonly keySha256: string;
  readonly recordUpdatedAt: string;
  readonly at: string;
}

function rejectionPath(stateDir: string, alias: string): string {
  return path.join(stateDir, 'rejected-keys', `${alias}.json`);
}

export async function readKeyRejection(stateDir: string, alias: string): Promise<KeyRejection | undefined> {
  try {
    return JSON.parse(await readFile(rejectionPath(stateDir, alias), 'utf8')) as KeyRejection;
  } catch {
    return undefined;
  }
}

export function isRejectionOf(rejection: KeyRejection | undefined, record: HostRecord): boolean {
  return (
    rejection !== undefined &&
    rejection.instanceId === record.instanceId &&
    rejection.keySha256 === record.keySha256 &&
    rejection.recordUpdatedAt === record.updatedAt
  );
}

export async function recordKeyRejection(stateDir: string, record: HostRecord): Promise<void> {
  const rejection: KeyRejection = {
    instanceId: record.instanceId,
    keySha256: record.keySha256,
    recordUpdatedAt: record.updatedAt,
    at: new Date().toISOString(),
  };
  const file = rejectionPath(stateDir, record.alias);
  await ensurePrivateDirectory(nodeFileSystem, path.dirname(file));
  await writeFileAtomic(
    nodeFileSystem,
    file,
    Buffer.from(`${JSON.stringify(rejection)}\n`),
    PRIVATE_FILE_MODE,
  );
}

export async function clearKeyRejection(stateDir: string, alias: string): Promise<void> {
  await rm(rejectionPath(stateDir, alias), { force: true });
}
