import * as path from 'node:path';
import type { AwsConnection } from '../aws/awsAccess';
import type { StudioSpaceTarget } from '../targets/studioSpace';
import { studioSpaceArn } from '../targets/studioSpace';
import { PRIVATE_FILE_MODE, ensurePrivateDirectory, writeFileAtomic } from '../util/fs/atomicWrite';
import { nodeFileSystem, readFileIfExists } from '../util/fs/fileSystem';
import { withFileLock } from '../util/fs/fileLock';

/**
 * `<state dir>/spaces.json`: alias → space ARN, written by Connect (which described the space), so a
 * ProxyCommand goes straight to sagemaker:StartSession without asking STS for the account.
 */
function fileOf(stateDir: string): string {
  return path.join(stateDir, 'spaces.json');
}

async function readArns(stateDir: string): Promise<Record<string, string>> {
  try {
    const text = (await readFileIfExists(nodeFileSystem, fileOf(stateDir)))?.toString('utf8');
    const parsed: unknown = text ? JSON.parse(text) : {};
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export async function rememberSpaceArn(stateDir: string, alias: string, arn: string): Promise<void> {
  await ensurePrivateDirectory(nodeFileSystem, stateDir);
  const file = fileOf(stateDir);
  await withFileLock(
    file,
    async () => {
      const arns = { ...(await readArns(stateDir)), [alias]: arn };
      await writeFileAtomic(
        nodeFileSystem,
        file,
        Buffer.from(JSON.stringify(arns, null, 2) + '\n', 'utf8'),
        PRIVATE_FILE_MODE,
      );
    },
    { fs: nodeFileSystem },
  );
}

/** The space's ARN: remembered by Connect, else built from the caller's account (one STS call). */
export async function spaceArnOf(
  connection: AwsConnection,
  stateDir: string,
  alias: string,
  target: StudioSpaceTarget,
): Promise<string> {
  const remembered = (await readArns(stateDir))[alias];
  const suffix = `:space/${target.domainId}/${target.spaceName}`;
  if (remembered?.endsWith(suffix) && remembered.split(':')[3] === connection.clients.region)
    return remembered;
  const identity = await connection.identity();
  return studioSpaceArn(target, identity.partition, connection.clients.region, identity.account);
}
