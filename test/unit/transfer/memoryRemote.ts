import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { LinkOpener, RemoteEntry, RemoteHandle, RemoteLink } from '../../../src/transfer/remoteLink';
import { LinkLostError } from '../../../src/transfer/transferErrors';
import { RemotePathNotFoundError } from '../../../src/transfer/transferErrors';

/**
 * A container's file system in memory, behind links that behave like SFTP links (including being
 * lost): the transfer engine's logic is tested without sessions; the e2e tests use the real thing.
 */
export class MemoryRemote {
  readonly files = new Map<string, Buffer>();
  readonly folders = new Set<string>(['/', '/tmp']);
  linksOpened = 0;
  /** Called before every read/write request; may close the link (a lost session) or throw. */
  beforeRequest: (link: MemoryLink, kind: 'read' | 'write') => void = () => undefined;

  readonly opener: LinkOpener = async (signal) => {
    if (signal.aborted) throw new Error('aborted');
    return new MemoryLink(++this.linksOpened, this);
  };

  sha256(file: string): string {
    return createHash('sha256').update(this.files.get(file)!).digest('hex');
  }
}

export class MemoryLink implements RemoteLink {
  isClosed = false;

  constructor(
    readonly id: number,
    private readonly remote: MemoryRemote,
  ) {}

  async stat(file: string): Promise<RemoteEntry | undefined> {
    this.check();
    const data = this.remote.files.get(file);
    if (data) return { name: file, kind: 'file', size: data.length, mtimeMs: 1000 };
    if (this.remote.folders.has(file)) return { name: file, kind: 'directory', size: 0, mtimeMs: 1000 };
    return undefined;
  }

  async readdir(folder: string): Promise<RemoteEntry[]> {
    this.check();
    const entries: RemoteEntry[] = [];
    for (const [name, data] of this.remote.files) {
      if (path.posix.dirname(name) === folder)
        entries.push({ name: path.posix.basename(name), kind: 'file', size: data.length, mtimeMs: 1000 });
    }
    for (const name of this.remote.folders) {
      if (name !== folder && path.posix.dirname(name) === folder)
        entries.push({ name: path.posix.basename(name), kind: 'directory', size: 0, mtimeMs: 1000 });
    }
    return entries;
  }

  async mkdir(folder: string): Promise<void> {
    this.check();
    this.remote.folders.add(folder);
  }

  async openRead(file: string): Promise<RemoteHandle> {
    this.check();
    if (!this.remote.files.has(file)) throw new RemotePathNotFoundError('host', file);
    return this.handle(file);
  }

  async openWrite(file: string, truncate: boolean): Promise<RemoteHandle> {
    this.check();
    if (!this.remote.folders.has(path.posix.dirname(file))) throw new RemotePathNotFoundError('host', file);
    if (truncate || !this.remote.files.has(file)) this.remote.files.set(file, Buffer.alloc(0));
    return this.handle(file);
  }

  async rename(from: string, to: string): Promise<void> {
    this.check();
    this.remote.files.set(to, this.remote.files.get(from)!);
    this.remote.files.delete(from);
  }

  async remove(file: string): Promise<void> {
    this.check();
    this.remote.files.delete(file);
  }

  async sha256(file: string): Promise<string> {
    this.check();
    return this.remote.sha256(file);
  }

  close(): void {
    this.isClosed = true;
  }

  private check(): void {
    if (this.isClosed) throw new LinkLostError('closed');
  }

  private handle(file: string): RemoteHandle {
    return {
      read: async (buffer, length, position) => {
        await Promise.resolve();
        this.remote.beforeRequest(this, 'read');
        this.check();
        const data = this.remote.files.get(file)!;
        return data.copy(buffer, 0, position, Math.min(data.length, position + length));
      },
      write: async (buffer, position) => {
        await Promise.resolve();
        this.remote.beforeRequest(this, 'write');
        this.check();
        let data = this.remote.files.get(file)!;
        if (data.length < position + buffer.length) {
          const grown = Buffer.alloc(position + buffer.length);
          data.copy(grown);
          data = grown;
        }
        buffer.copy(data, position);
        this.remote.files.set(file, data);
      },
      close: async () => undefined,
    };
  }
}
