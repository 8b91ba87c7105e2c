import * as path from 'node:path';
import { silentLogger } from '../../util/logger';
import type { Logger } from '../../util/logger';
import { FileReadError, FileWriteError } from '../../util/fs/errors';
import {
  PRIVATE_FILE_MODE,
  ensurePrivateDirectory,
  writeFileAtomic,
  writeTemporarySibling,
} from '../../util/fs/atomicWrite';
import {
  errorCode,
  isNotFound,
  nodeFileSystem,
  readFileIfExists,
  removeQuietly,
} from '../../util/fs/fileSystem';
import type { SshFileSystem } from '../../util/fs/fileSystem';
import { InvalidKeyNameError, InvalidPrivateKeyError } from './errors';
import { SshKeyPair } from './sshKeyPair';

const PUBLIC_FILE_MODE = 0o644;
const MAX_NAME_LENGTH = 253;
// Host aliases: lowercase labels of [a-z0-9-] joined by dots. No "/", no "..", no leading "." or "-".
const KEY_NAME = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*$/;

export interface KeyStoreOptions {
  /** Directory for the keys, e.g. `<extension global storage>/ssh-keys`. Created 0700. */
  readonly directory: string;
  readonly fs?: SshFileSystem;
  readonly logger?: Logger;
  /** File modes are not checked on Windows. Default: process.platform. */
  readonly platform?: NodeJS.Platform;
}

export interface StoredKey {
  /** The host alias the key belongs to. */
  readonly name: string;
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
  readonly keyPair: SshKeyPair;
  /** True when this call generated the key, false when an existing valid key was reused. */
  readonly created: boolean;
}

export function defaultKeyComment(name: string): string {
  return `sagemaker-ssh:${name}`;
}

/**
 * One ed25519 key pair per host alias, kept as `<directory>/<alias>` (0600) and
 * `<directory>/<alias>.pub`. Keys are written atomically; a failed write leaves no key file behind.
 */
export class SshKeyStore {
  readonly directory: string;
  private readonly fs: SshFileSystem;
  private readonly logger: Logger;
  private readonly checkModes: boolean;

  constructor(options: KeyStoreOptions) {
    this.directory = options.directory;
    this.fs = options.fs ?? nodeFileSystem;
    this.logger = options.logger ?? silentLogger;
    this.checkModes = (options.platform ?? process.platform) !== 'win32';
  }

  privateKeyPath(name: string): string {
    return path.join(this.directory, checkKeyName(name));
  }

  publicKeyPath(name: string): string {
    return `${this.privateKeyPath(name)}.pub`;
  }

  /** Returns the valid key stored for `name`, generating and storing one if there is none. */
  async ensureKey(name: string, comment: string = defaultKeyComment(name)): Promise<StoredKey> {
    checkKeyName(name);
    await ensurePrivateDirectory(this.fs, this.directory);
    const existing = await this.loadExisting(name);
    if (existing.kind === 'valid') {
      return existing.key;
    }
    const created = await this.createKey(name, comment, existing.kind === 'invalid');
    return created ?? (await this.adoptConcurrentKey(name));
  }

  /** The stored key for `name` if there is a valid one; never creates or repairs anything. */
  async readKey(name: string): Promise<StoredKey | undefined> {
    const text = await this.readPrivateKeyText(name);
    if (text === undefined) {
      return undefined;
    }
    try {
      return this.storedKey(name, SshKeyPair.fromPrivateKeyText(text), false);
    } catch (error) {
      if (error instanceof InvalidPrivateKeyError) {
        return undefined;
      }
      throw error;
    }
  }

  /** Removes the key files for `name` (missing files are fine). */
  async deleteKey(name: string): Promise<void> {
    for (const file of [this.privateKeyPath(name), this.publicKeyPath(name)]) {
      try {
        await this.fs.unlink(file);
      } catch (error) {
        if (!isNotFound(error)) {
          throw new FileWriteError(file, this.directory, error);
        }
      }
    }
  }

  private storedKey(name: string, keyPair: SshKeyPair, created: boolean): StoredKey {
    return {
      name,
      privateKeyPath: this.privateKeyPath(name),
      publicKeyPath: this.publicKeyPath(name),
      keyPair,
      created,
    };
  }

  private async readPrivateKeyText(name: string): Promise<string | undefined> {
    const file = this.privateKeyPath(name);
    try {
      const info = await this.fs.lstat(file);
      if (!info.isFile()) {
        // A symlink or directory in our private directory is not something we wrote.
        return '';
      }
      return (await readFileIfExists(this.fs, file))?.toString('utf8');
    } catch (error) {
      if (isNotFound(error)) {
        return undefined;
      }
      throw new FileReadError(file, error);
    }
  }

  private async loadExisting(
    name: string,
  ): Promise<{ kind: 'valid'; key: StoredKey } | { kind: 'missing' } | { kind: 'invalid' }> {
    const text = await this.readPrivateKeyText(name);
    if (text === undefined) {
      return { kind: 'missing' };
    }
    let keyPair: SshKeyPair;
    try {
      keyPair = SshKeyPair.fromPrivateKeyText(text);
    } catch (error) {
      if (error instanceof InvalidPrivateKeyError) {
        this.logger.warn(`SSH key for ${name} is unusable (${error.reason}); replacing it.`);
        return { kind: 'invalid' };
      }
      throw error;
    }
    await this.repairExisting(name, keyPair);
    this.logger.debug(`Reusing SSH key for ${name} (${keyPair.fingerprint}).`);
    return { kind: 'valid', key: this.storedKey(name, keyPair, false) };
  }

  /** Tightens a too-open private key mode and rewrites a missing or stale .pub file. */
  private async repairExisting(name: string, keyPair: SshKeyPair): Promise<void> {
    const privateFile = this.privateKeyPath(name);
    try {
      if (this.checkModes && ((await this.fs.stat(privateFile)).mode & 0o077) !== 0) {
        await this.fs.chmod(privateFile, PRIVATE_FILE_MODE);
      }
    } catch (error) {
      throw new FileWriteError(privateFile, this.directory, error);
    }
    const publicFile = this.publicKeyPath(name);
    const expected = `${keyPair.publicKeyLine}\n`;
    const current = await readFileIfExists(this.fs, publicFile).catch(() => undefined);
    if (current?.toString('utf8') !== expected) {
      await writeFileAtomic(this.fs, publicFile, Buffer.from(expected), PUBLIC_FILE_MODE);
    }
  }

  /**
   * Writes a new key pair. Returns undefined if another process published a key for `name`
   * between our check and our write (we then use theirs). On failure removes everything it wrote.
   */
  private async createKey(name: string, comment: string, replace: boolean): Promise<StoredKey | undefined> {
    const keyPair = SshKeyPair.generate(comment);
    const privateFile = this.privateKeyPath(name);
    const publicFile = this.publicKeyPath(name);
    const privateTemp = await writeTemporarySibling(
      this.fs,
      privateFile,
      Buffer.from(keyPair.privateKeyText()),
      PRIVATE_FILE_MODE,
    );
    let publicTemp: string | undefined;
    let published = false;
    try {
      publicTemp = await writeTemporarySibling(
        this.fs,
        publicFile,
        Buffer.from(`${keyPair.publicKeyLine}\n`),
        PUBLIC_FILE_MODE,
      );
      published = await this.publishPrivateKey(privateTemp, privateFile, replace);
      if (!published) {
        return undefined;
      }
      await this.fs.rename(publicTemp, publicFile);
    } catch (error) {
      if (published) {
        await removeQuietly(this.fs, privateFile);
      }
      throw error instanceof FileWriteError ? error : new FileWriteError(privateFile, this.directory, error);
    } finally {
      await removeQuietly(this.fs, privateTemp);
      if (publicTemp !== undefined) {
        await removeQuietly(this.fs, publicTemp);
      }
    }
    this.logger.info(`Created SSH key for ${name} (${keyPair.fingerprint}).`);
    return this.storedKey(name, keyPair, true);
  }

  /** Moves the private key into place; without `replace` it never clobbers a concurrent writer. */
  private async publishPrivateKey(temp: string, target: string, replace: boolean): Promise<boolean> {
    if (replace) {
      await this.fs.rename(temp, target);
      return true;
    }
    try {
      await this.fs.link(temp, target);
      return true;
    } catch (error) {
      if (errorCode(error) === 'EEXIST') {
        return false;
      }
      throw error;
    }
  }

  private async adoptConcurrentKey(name: string): Promise<StoredKey> {
    const existing = await this.loadExisting(name);
    if (existing.kind !== 'valid') {
      throw new FileWriteError(
        this.privateKeyPath(name),
        this.directory,
        new Error('another process wrote an unusable key at the same time'),
      );
    }
    return existing.key;
  }
}

export function checkKeyName(name: string): string {
  if (name.length > MAX_NAME_LENGTH || !KEY_NAME.test(name)) {
    throw new InvalidKeyNameError(name);
  }
  return name;
}
