import * as path from 'node:path';
import { PRIVATE_FILE_MODE, ensurePrivateDirectory, writeFileAtomic } from '../util/fs/atomicWrite';
import { nodeFileSystem, readFileIfExists } from '../util/fs/fileSystem';
import type { SshFileSystem } from '../util/fs/fileSystem';
import { withFileLock } from '../util/fs/fileLock';
import type { SshTarget } from '../targets/sshTarget';

/** What we last did for a host alias, so a ProxyCommand pushes the key only when it must. */
export interface HostRecord {
  readonly alias: string;
  readonly target: SshTarget;
  readonly node?: string;
  readonly instanceId: string;
  /** SHA-256 of the public key installed in that instance. */
  readonly keySha256: string;
  /** That key's fingerprint (`SHA256:…`), which names its file in the container's authorized_keys.d. */
  readonly keyFingerprint?: string;
  /** Native targets (no `mi-`): the port our own sshd listens on in the container, and its user. */
  readonly remotePort?: number;
  readonly remoteUser?: string;
  readonly updatedAt: string;
}

interface RegistryFile {
  readonly version: 1;
  readonly hosts: Record<string, HostRecord>;
}

/** `<state dir>/hosts.json`, written atomically with mode 0600. */
export class HostRegistry {
  readonly path: string;

  constructor(
    readonly stateDir: string,
    private readonly fs: SshFileSystem = nodeFileSystem,
  ) {
    this.path = path.join(stateDir, 'hosts.json');
  }

  async get(alias: string): Promise<HostRecord | undefined> {
    return (await this.read()).hosts[alias];
  }

  /** Read-modify-write under a cross-process lock: parallel connects keep each other's records. */
  async set(record: HostRecord): Promise<void> {
    await ensurePrivateDirectory(this.fs, this.stateDir);
    await withFileLock(
      this.path,
      async () => {
        const file = await this.read();
        const next: RegistryFile = { version: 1, hosts: { ...file.hosts, [record.alias]: record } };
        await writeFileAtomic(
          this.fs,
          this.path,
          Buffer.from(`${JSON.stringify(next, null, 2)}\n`),
          PRIVATE_FILE_MODE,
        );
      },
      { fs: this.fs },
    );
  }

  private async read(): Promise<RegistryFile> {
    const bytes = await readFileIfExists(this.fs, this.path);
    if (!bytes) {
      return { version: 1, hosts: {} };
    }
    try {
      const parsed = JSON.parse(bytes.toString('utf8')) as Partial<RegistryFile>;
      return { version: 1, hosts: parsed.hosts ?? {} };
    } catch {
      // A corrupt registry only costs a key push; it is rewritten on the next connection.
      return { version: 1, hosts: {} };
    }
  }
}
