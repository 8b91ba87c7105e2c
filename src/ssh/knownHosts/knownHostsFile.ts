import * as path from 'node:path';
import { FileReadError } from '../../util/fs/errors';
import { PRIVATE_FILE_MODE, ensurePrivateDirectory, writeFileAtomic } from '../../util/fs/atomicWrite';
import { nodeFileSystem, readFileIfExists } from '../../util/fs/fileSystem';
import type { SshFileSystem } from '../../util/fs/fileSystem';
import { withFileLock } from '../../util/fs/fileLock';
import type { SshPublicKey } from '../keys/publicKey';
import { checkKnownHostsAlias, hostKeysIn, parseHostKeys, replaceHostKeys } from './knownHostsContent';

export interface KnownHostsFileOptions {
  /** Our own known_hosts, e.g. `~/.ssh/sagemaker-ssh/known_hosts`. Its directory is created 0700. */
  readonly path: string;
  readonly fs?: SshFileSystem;
}

/** Our known_hosts file: host keys pinned per alias, written atomically with mode 0600. */
export class KnownHostsFile {
  readonly path: string;
  private readonly fs: SshFileSystem;

  constructor(options: KnownHostsFileOptions) {
    this.path = options.path;
    this.fs = options.fs ?? nodeFileSystem;
  }

  /** The keys pinned for `alias` (empty if none). */
  async hostKeys(alias: string): Promise<SshPublicKey[]> {
    return hostKeysIn(await this.readContent(), checkKnownHostsAlias(alias));
  }

  /**
   * Pins exactly `hostKeyLines` for `alias`, replacing whatever was pinned for it before. Each
   * line is validated first; an invalid one throws InvalidHostKeyError and nothing is written.
   */
  async setHostKeys(alias: string, hostKeyLines: readonly string[]): Promise<void> {
    checkKnownHostsAlias(alias);
    const keys = parseHostKeys(alias, hostKeyLines);
    await this.update((content) => replaceHostKeys(content, alias, keys));
  }

  /** Forgets every key pinned for `alias`. */
  async removeHost(alias: string): Promise<void> {
    checkKnownHostsAlias(alias);
    await this.update((content) => replaceHostKeys(content, alias, []));
  }

  /** Read, edit and write under a cross-process lock, so concurrent connects keep each other's keys. */
  private async update(edit: (content: string) => string): Promise<void> {
    await ensurePrivateDirectory(this.fs, path.dirname(this.path));
    await withFileLock(
      this.path,
      async () => {
        const before = await this.readContent();
        const after = edit(before);
        if (after !== before) {
          await writeFileAtomic(this.fs, this.path, Buffer.from(after, 'utf8'), PRIVATE_FILE_MODE);
        }
      },
      { fs: this.fs },
    );
  }

  private async readContent(): Promise<string> {
    try {
      return (await readFileIfExists(this.fs, this.path))?.toString('utf8') ?? '';
    } catch (error) {
      throw new FileReadError(this.path, error);
    }
  }
}
